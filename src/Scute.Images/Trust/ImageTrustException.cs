namespace Scute.Images.Trust;

/// <summary>The signature policy (containers-policy.json) refuses an image, or cannot be read: exit 2, as a host policy refusal.</summary>
public sealed class ImageTrustException : Exception
{
    public ImageTrustException(string message) : base(message) { }

    public ImageTrustException(string message, Exception inner) : base(message, inner) { }

    public ImageTrustException() { }
}
