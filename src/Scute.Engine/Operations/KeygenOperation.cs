using Scute.Images.Trust;

namespace Scute.Engine.Operations;

/// <summary>keygen: an ECDSA P-256 key pair for signing pushed images (&lt;prefix&gt;.key, &lt;prefix&gt;.pub).</summary>
public static class KeygenOperation
{
    public static (string PrivatePath, string PublicPath) Run(string prefix)
    {
        try
        {
            return SigningKeys.Write(prefix);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new EngineException("keygen: " + e.Message, e);
        }
    }
}
