namespace Scute.Policy.Audit;

/// <summary>The audit trail is broken, so nothing may be appended to it; names the file and the line.</summary>
public sealed class AuditLogException : Exception
{
    public AuditLogException()
    {
        LogPath = string.Empty;
    }

    public AuditLogException(string message)
        : base(message)
    {
        LogPath = string.Empty;
    }

    public AuditLogException(string message, Exception innerException)
        : base(message, innerException)
    {
        LogPath = string.Empty;
    }

    public AuditLogException(string logPath, AuditChainBreak broken)
        : base($"audit trail {logPath} is broken at {broken}")
    {
        ArgumentNullException.ThrowIfNull(broken);
        LogPath = logPath;
        Line = broken.Line;
        Reason = broken.Reason;
    }

    public string LogPath { get; }

    public int Line { get; }

    public string Reason { get; } = string.Empty;
}
