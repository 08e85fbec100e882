namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// A command line carries secrets (<c>--Anonymisation:Key=…</c>); its mistakes are reported on
/// standard error, which a CI keeps in its logs: they name the argument, never its value.
/// </summary>
public class CommandLineSecretsTests
{
    private const string FakeKey = "fake-key-for-tests-only-abcdefghijklmnop";

    [Theory]
    [InlineData("--Anonymisation:Key", FakeKey)]            // a blank instead of '='
    [InlineData("--pipeline", "acteurs", FakeKey)]          // a stray value
    public async Task An_unexpected_argument_is_named_by_its_position_never_quoted(params string[] args)
    {
        var (code, said) = await RunAsync(["validate", .. args]);
        Assert.Equal(2, code);
        Assert.DoesNotContain(FakeKey, said, StringComparison.Ordinal);
        Assert.Contains($"argument n° {args.Length + 1} is not an option", said, StringComparison.Ordinal);
        Assert.Contains("--Section:Key=value", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Anonymisation__Key=" + FakeKey, "--Anonymisation__Key")]
    [InlineData("--key=" + FakeKey, "--key")]
    public async Task An_unknown_option_is_named_without_its_value(string arg, string said)
    {
        var (code, text) = await RunAsync(["validate", arg]);
        Assert.Equal(2, code);
        Assert.DoesNotContain(FakeKey, text, StringComparison.Ordinal);
        Assert.Contains($"'validate' has no option {said} (options: --pipeline, --source).", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_given_before_the_verb_is_named_without_its_value()
    {
        var (code, said) = await RunAsync(["--Anonymisation:Key=" + FakeKey, "publish"]);
        Assert.Equal(2, code);
        Assert.DoesNotContain(FakeKey, said, StringComparison.Ordinal);
        Assert.Contains("Unknown verb '--Anonymisation:Key'", said, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Said)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OpenData.Worker.WorkerApp.RunAsync(args, output, error);
        return (code, error.ToString() + output);
    }
}
