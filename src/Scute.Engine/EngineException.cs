namespace Scute.Engine;

/// <summary>A user-caused failure of an engine operation (exit 1): unknown environment, taken name, ...</summary>
public class EngineException : Exception
{
    public EngineException(string message) : base(message) { }

    public EngineException(string message, Exception inner) : base(message, inner) { }

    public EngineException() { }
}
