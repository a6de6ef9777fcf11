using System.Security.Cryptography;

namespace Scute.Images.Trust;

/// <summary>
/// ECDSA P-256 keys as cosign and containers-policy.json's keyPath use them: the private key as
/// unencrypted PKCS#8 PEM, the public key as SubjectPublicKeyInfo PEM ("PUBLIC KEY").
/// </summary>
public static class SigningKeys
{
    public sealed record KeyPair(string PrivatePem, string PublicPem);

    public static KeyPair Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new KeyPair(key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Writes &lt;prefix&gt;.key (mode 0600, created so: never readable by others) and &lt;prefix&gt;.pub; refuses to overwrite.</summary>
    public static (string PrivatePath, string PublicPath) Write(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var privatePath = Path.GetFullPath(prefix + ".key");
        var publicPath = Path.GetFullPath(prefix + ".pub");
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                throw new IOException($"{path} already exists; remove it or choose another prefix");
            }
        }

        var pair = Generate();
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(privatePath, options))
        {
            writer.Write(pair.PrivatePem);
        }

        File.WriteAllText(publicPath, pair.PublicPem);
        return (privatePath, publicPath);
    }

    public static ECDsa LoadPrivate(string pem, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            RequireP256(key, source);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ImageTrustException($"{source}: not an ECDSA P-256 private key in PEM ({e.Message})", e);
        }
    }

    /// <summary>Every "PUBLIC KEY" block of a keyPath file or keyData (containers/image accepts several).</summary>
    public static IReadOnlyList<ECDsa> LoadPublic(string pem, string source)
    {
        var keys = new List<ECDsa>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            rest = rest[fields.Location.End..];
            if (label != "PUBLIC KEY")
            {
                continue;
            }

            var key = ECDsa.Create();
            try
            {
                key.ImportSubjectPublicKeyInfo(der, out _);
                RequireP256(key, source);
                keys.Add(key);
            }
            catch (CryptographicException e)
            {
                key.Dispose();
                throw new ImageTrustException($"{source}: a PUBLIC KEY that is not an ECDSA P-256 key ({e.Message})", e);
            }
        }

        return keys.Count > 0 ? keys : throw new ImageTrustException($"{source}: no ECDSA public key (PEM \"PUBLIC KEY\") in it");
    }

    private static void RequireP256(ECDsa key, string source)
    {
        if (key.KeySize != 256)
        {
            throw new ImageTrustException($"{source}: the key is {key.KeySize}-bit; only ECDSA P-256 keys are supported");
        }
    }
}
