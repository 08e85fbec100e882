namespace Automotech.OpenData;

/// <summary>
/// A failure the user can act on: bad configuration, bad input, too many rejected rows.
/// The worker prints <see cref="Exception.Message"/> as one line and exits non-zero;
/// it never prints a stack trace for these. Messages never carry personal values.
/// </summary>
public sealed class PipelineException : Exception
{
    public PipelineException(string message)
        : base(message)
    {
    }

    public PipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PipelineException()
    {
    }
}
