namespace Scute.Manifest;

/// <summary>The reference itself is wrong (exit 2, like any other manifest error).</summary>
public sealed class ImageReferenceException : Exception
{
    public ImageReferenceException(string reference, string problem) : base($"base.image \"{reference}\": {problem}") => Reference = reference;

    public ImageReferenceException() { }

    public ImageReferenceException(string message) : base(message) { }

    public ImageReferenceException(string message, Exception inner) : base(message, inner) { }

    public string Reference { get; } = string.Empty;
}
