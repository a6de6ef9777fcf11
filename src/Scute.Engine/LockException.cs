namespace Scute.Engine;

/// <summary>The lock file cannot be honoured (drifted, or names a version that cannot be had): exit 3, DESIGN §7.</summary>
public sealed class LockException : EngineException
{
    public LockException(string message) : base(message) { }

    public LockException(string message, Exception inner) : base(message, inner) { }

    public LockException() { }
}
