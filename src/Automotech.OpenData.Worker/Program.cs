using Automotech.OpenData.Worker;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await WorkerApp.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancellation.Token);
