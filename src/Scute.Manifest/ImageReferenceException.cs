namespace Scute.Manifest;

/// <summary>The reference itself is wrong (exit 2, like any other manifest error).</summary>
public sealed class ImageReferenceException : Exception
{
    public ImageReferenceException(string reference, string problem) : base($"base.image \"{reference}\": {problem}")
    {
        Reference = reference;
        Problem = problem;
    }

    public ImageReferenceException() { }

    public ImageReferenceException(string message) : base(message) => Problem = message;

    public ImageReferenceException(string message, Exception inner) : base(message, inner) => Problem = message;

    public string Reference { get; } = string.Empty;

    /// <summary>What is wrong with the reference, without the key and the reference itself (the caller names them).</summary>
    public string Problem { get; } = string.Empty;
}
