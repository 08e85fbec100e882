using Automotech.OpenData.Worker;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// Progress bars on a terminal; plain structured logs in CI or when output is redirected.
var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
return await WorkerApp.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancellation.Token, terminal: interactive ? AnsiConsole.Console : null);
