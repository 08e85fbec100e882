namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// Tests that read or set <see cref="Environment.ExitCode"/>, which is the whole test process's:
/// the <c>run</c> verb returns it, and the schedule sets it when it stops on an error. Run in
/// parallel, one class's 70 became the other's exit code, and one's reset to 0 hid the other's 70.
/// They run one after the other (beside the rest of the suite).
/// </summary>
[CollectionDefinition(nameof(ProcessExitCode))]
public sealed class ProcessExitCode;
