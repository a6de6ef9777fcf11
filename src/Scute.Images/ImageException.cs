namespace Scute.Images;

/// <summary>An image could not be had: missing file, unreadable archive, unsupported source (exit 1).</summary>
public class ImageException : Exception
{
    public ImageException(string message) : base(message) { }

    public ImageException(string message, Exception inner) : base(message, inner) { }

    public ImageException() { }
}

/// <summary>The reference itself is wrong (exit 2, like any other manifest error).</summary>
public sealed class ImageReferenceException : ImageException
{
    public ImageReferenceException(string reference, string problem) : base($"base.image \"{reference}\": {problem}") => Reference = reference;

    public ImageReferenceException() { }

    public ImageReferenceException(string message) : base(message) { }

    public ImageReferenceException(string message, Exception inner) : base(message, inner) { }

    public string Reference { get; } = string.Empty;
}
