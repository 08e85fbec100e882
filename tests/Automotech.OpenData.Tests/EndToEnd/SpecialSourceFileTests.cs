using System.Diagnostics;
using Automotech.OpenData.Sources;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A source path that is not a regular file is refused before anything is read (the security
/// review's note): a named pipe blocked the run at its opening until CI's timeout, /dev/zero read
/// forever. Each run here is the built Worker, killed after a time limit, so that a regression
/// fails instead of hanging the test run.
/// </summary>
public sealed class SpecialSourceFileTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static readonly string Key = $"--Anonymisation:Key={new string('k', 40)}";

    [Theory]
    [InlineData("acteurs", "fifo", "a named pipe (FIFO)")]
    [InlineData("acteurs", "fifo.xlsx", "a named pipe (FIFO)")] // read as a workbook
    [InlineData("sirene-automobile", "fifo", "a named pipe (FIFO)")] // a Sirene stock
    [InlineData("acteurs", "/dev/zero", "a character device")]
    [InlineData("sirene-automobile", "/dev/urandom", "a character device")]
    [InlineData("acteurs", "folder", "a directory")]
    public async Task Publish_refuses_a_source_that_is_not_a_regular_file_naming_it_and_what_it_is(string pipeline, string name, string kind)
    {
        using var temp = new TempFolder();
        var source = name.StartsWith('/') ? name : temp.Combine(name);
        if (name.StartsWith("fifo", StringComparison.Ordinal))
        {
            MakeFifo(source);
        }
        else if (name == "folder")
        {
            Directory.CreateDirectory(source);
        }

        var (code, stdout, stderr) = await RunAsync(temp, "publish", "--pipeline", pipeline, "--source", source, Key, $"--Publishing:Output={temp.Combine("site")}");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Contains($"error: {source}: the source file of {pipeline} is {kind}, not a regular file", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was read or published.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", stdout + stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("site")) && Directory.EnumerateFileSystemEntries(temp.Combine("site")).Any(), "nothing published");
    }

    [Fact]
    public async Task Validate_refuses_a_named_pipe_too()
    {
        using var temp = new TempFolder();
        var fifo = temp.Combine("export.csv");
        MakeFifo(fifo);
        var (code, _, stderr) = await RunAsync(temp, "validate", "--pipeline", "acteurs", "--source", fifo);
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Contains($"error: {fifo}: the source file of acteurs is a named pipe (FIFO), not a regular file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readers_refuse_a_named_pipe_and_a_device_themselves()
    {
        using var temp = new TempFolder();
        var fifo = temp.Combine("pipe.csv");
        MakeFifo(fifo);
        var link = temp.Combine("link.csv");
        File.CreateSymbolicLink(link, fifo);
        var (pipeline, _) = await DemoActors.WriteAsync(temp, rows: 3, seed: 1);
        var schema = pipeline.Source.Schema;

        // On another thread, with a time limit: opening a pipe blocks the thread that opens it. When
        // the limit passes, a writer opens the pipe, so that the blocked reader gets its end.
        async Task<string> ReadAsync(IRecordSource reader)
        {
            var reading = Task.Run(async () =>
            {
                await foreach (var _ in reader.ReadAsync(new RejectList(), CancellationToken.None))
                {
                }
            });
            try
            {
                await reading.WaitAsync(Limit);
            }
            catch (TimeoutException)
            {
                using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
                {
                }

                Assert.Fail($"{reader.Description}: still reading after {Limit.TotalSeconds} s (blocked on the pipe?)");
            }
            catch (PipelineException e)
            {
                return e.Message;
            }

            Assert.Fail($"{reader.Description}: read without an error");
            return "";
        }

        Assert.StartsWith($"{fifo}: the source file is a named pipe (FIFO)", await ReadAsync(new CsvSource(fifo, schema, "auto", "auto", 10, pipeline.Source.Limits)), StringComparison.Ordinal);
        Assert.StartsWith($"{link}: the source file is a named pipe (FIFO)", await ReadAsync(new CsvSource(link, schema, "auto", "auto", 10, pipeline.Source.Limits)), StringComparison.Ordinal);
        Assert.StartsWith("/dev/zero: the source file is a character device", await ReadAsync(new CsvSource("/dev/zero", schema, "auto", "auto", 10, pipeline.Source.Limits)), StringComparison.Ordinal);
        Assert.StartsWith($"{fifo}: the source file is a named pipe (FIFO)", Assert.Throws<PipelineException>(() => XlsxSource.FromFile(fifo, schema, null, 1, 10)).Message, StringComparison.Ordinal);
        Assert.Null(SourceFile.NotRegular(Repo.DemoSource));
        Assert.Null(SourceFile.NotRegular(temp.Combine("missing.csv")));
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TempFolder temp, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo.Root };
        start.Environment.Remove("Anonymisation__Key");
        start.Environment["CI"] = "true";
        string[] arguments = ["exec", Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Worker.dll"), .. args.Take(1),
            $"--Pipeline:WorkDirectory={temp.Combine("work")}", $"--Pipeline:QuarantineDirectory={temp.Combine("q")}", .. args.Skip(1)];
        return await ChildProcess.RunAsync(start, arguments, Limit); // blocked on the source? killed, and the test fails
    }
}
