using System.Text;
using Scute.Manifest.Parsing;
using Tomlyn;
using Tomlyn.Parsing;

namespace Scute.Manifest;

/// <summary>
/// Reads scute.toml / karapace.toml strictly. Whatever the input, the only exception that leaves here is
/// <see cref="ManifestException"/>: the CLI shows it as one line and exit code 2, never a stack trace.
/// </summary>
public static class ManifestParser
{
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static EnvironmentManifest ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ManifestBytes.Read(path);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = Math.Clamp(ex.Index, 0, bytes.Length);
            var line = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
            throw new ManifestException(path, line, null, "the file is not valid UTF-8", "a UTF-8 encoded TOML file", ex);
        }

        return Parse(text, path);
    }

    public static EnvironmentManifest Parse(string text, string path) =>
        ReadStrict(text, path, (tree, context, sourcePath) => ManifestReader.Read(tree, context, sourcePath));

    /// <summary>
    /// The strict TOML pipeline (size, BOM, syntax, typed table access) for any of Scute's TOML
    /// files; the host policy reads its files through it too.
    /// </summary>
    internal static T ReadStrictFile<T>(string path, Func<TomlNode, ParseContext, string, T> read)
    {
        var bytes = ManifestBytes.Read(path);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ManifestException(path, null, null, "the file is not valid UTF-8", "a UTF-8 encoded TOML file", ex);
        }

        return ReadStrict(text, path, read);
    }

    internal static T ReadStrict<T>(string text, string path, Func<TomlNode, ParseContext, string, T> read)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return ParseCore(text, path, read);
        }
        catch (ManifestException)
        {
            throw;
        }
        catch (TomlException ex)
        {
            // Tomlyn's depth message suggests changing its options; the user can only change their file.
            var problem = ex.Message.Contains("maximum depth", StringComparison.OrdinalIgnoreCase)
                ? "values nested more than 64 levels deep"
                : FirstLine(ex.Message);
            throw new ManifestException(path, ex.Line, KeyOnLine(text, ex.Line ?? 0), problem, "valid TOML with at most 64 levels of nesting", ex);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException or ThreadAbortException))
        {
            // A parser bug must still reach the user as a readable error about their file.
            throw new ManifestException(path, null, null, $"cannot be read: {FirstLine(ex.Message)}", "a valid scute.toml", ex);
        }
    }

    private static T ParseCore<T>(string text, string path, Func<TomlNode, ParseContext, string, T> read)
    {
        if (text.Length > MaxFileBytes)
        {
            throw new ManifestException(path, null, null, $"the manifest is {text.Length} characters long", $"at most {MaxFileBytes} bytes");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            throw new ManifestException(path, 1, null, "a second byte-order mark", "UTF-8 TOML with at most one byte-order mark");
        }

        var document = SyntaxParser.Parse(text, path, validate: true);
        if (document.HasErrors)
        {
            foreach (var diagnostic in document.Diagnostics)
            {
                if (diagnostic.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
                {
                    var line = diagnostic.Span.Start.Line + 1;
                    throw new ManifestException(path, line, KeyOnLine(text, line), FirstLine(diagnostic.Message), "valid TOML");
                }
            }
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ManifestException(path, null, null, "the manifest path contains a NUL character", "a file path");
        }

        var sourcePath = Path.GetFullPath(path);
        var context = new ParseContext(path, Path.GetDirectoryName(sourcePath) ?? "/");
        var tree = TomlTreeBuilder.Build(document, context);
        return read(tree, context, sourcePath);
    }

    /// <summary>
    /// The dotted key a "key = value" line assigns (under the table header above it), to name it in
    /// a syntax error; null when the line assigns none.
    /// </summary>
    private static string? KeyOnLine(string text, int line)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return null;
        }

        var table = string.Empty;
        for (var i = 0; i < line - 1; i++)
        {
            var header = System.Text.RegularExpressions.Regex.Match(lines[i], @"^\s*\[{1,2}\s*([A-Za-z0-9_.-]{1,128})\s*\]");
            if (header.Success)
            {
                table = header.Groups[1].Value + ".";
            }
        }

        var match = System.Text.RegularExpressions.Regex.Match(lines[line - 1], @"^\s*([A-Za-z0-9_.-]{1,128})\s*=");
        return match.Success ? table + match.Groups[1].Value : null;
    }

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }
}
