namespace Scute.Images;

/// <summary>An image could not be had: missing file, unreadable archive, unsupported source (exit 1).</summary>
public class ImageException : Exception
{
    public ImageException(string message) : base(message) { }

    public ImageException(string message, Exception inner) : base(message, inner) { }

    public ImageException() { }
}
