using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// An unexpected exception (exit 70) is reported by its type, its dataset and stage, and the place
/// in our code, never by its message: an exception's message may quote a cell's value or a
/// connection string, and CI logs may be public (the security review's note: the Worker printed
/// it whole).
/// </summary>
public sealed class InternalErrorTests
{
    // Fictional: a person of the demo generator's kind, and a made-up account key.
    internal const string PersonalValue = "Ermeline Vautrain, née le 12/03/1975";

    internal const string Secret = "AccountKey=ZmFrZS1zZWNyZXQtZm9yLWEtdGVzdA==";

    internal static Exception Unexpected() =>
        new InvalidOperationException($"could not convert the cell '{PersonalValue}'", new FormatException($"bad setting in 'DefaultEndpointsProtocol=https;AccountName=x;{Secret}'"));

    [Fact]
    public async Task Validate_names_the_type_dataset_stage_and_place_of_an_unexpected_exception_never_its_message()
    {
        using var site = new DemoSite(new ThrowingClock());
        var code = await site.RunAsync("validate", "--pipeline", "acteurs");
        Assert.Equal(WorkerApp.InternalError, code);
        var said = site.Output + site.Error;
        Assert.DoesNotContain(PersonalValue, said, StringComparison.Ordinal);
        Assert.DoesNotContain("Vautrain", said, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, said, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", said, StringComparison.Ordinal);
        Assert.DoesNotContain("could not convert", said, StringComparison.Ordinal);

        var line = Assert.Single(site.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: internal error (System.InvalidOperationException ← System.FormatException) in dataset acteurs, stage validate", line, StringComparison.Ordinal);
        Assert.Matches(@", at Automotech\.OpenData\.Tests\.Worker\.InternalErrorTests\.ThrowingClock\.GetUtcNow \(InternalErrorTests\.cs:\d+\)\.", line);
        Assert.Contains("Its message is not shown", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_says_what_failed_without_the_message_either()
    {
        using var site = new DemoSite(new ThrowingClock());
        var code = await site.RunAsync("publish");
        Assert.Equal(WorkerApp.InternalError, code);
        var said = site.Output + site.Error;
        Assert.DoesNotContain("Vautrain", said, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", said, StringComparison.Ordinal);
        Assert.Contains("error: internal error (System.InvalidOperationException ← System.FormatException), at Automotech.OpenData.Tests.Worker.InternalErrorTests.ThrowingClock.GetUtcNow (", site.Error, StringComparison.Ordinal);
    }

    /// <summary>A clock that throws <see cref="Unexpected"/> when asked the time.</summary>
    private sealed class ThrowingClock : FakeTimeProvider
    {
        public ThrowingClock()
            : base(DemoSite.RunTime)
        {
        }

        public override DateTimeOffset GetUtcNow() => throw Unexpected();
    }
}
