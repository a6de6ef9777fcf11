using System.Text;
using System.Text.Json;

namespace Scute.Store.Tests;

/// <summary>store/version read without JsonSerializer gives what JsonSerializer gave, errors included.</summary>
[Collection(AllocationHeavy.Name)]
public class StoreVersionReaderTests
{
    [Theory]
    [InlineData("{\"format_version\":1}", 1)]
    [InlineData("{\"format_version\":7}", 7)]
    [InlineData(" {\"format_version\" : 2 }\n", 2)]
    public void The_written_form_reads_without_the_serializer(string text, int expected)
    {
        Assert.Equal(expected, StoreVersionReader.TryRead(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("1")]
    [InlineData("{\"format_version\":1.0}")]
    [InlineData("{\"format_version\":1e0}")]
    [InlineData("{\"format_version\":\"1\"}")]
    [InlineData("{\"format_version\":null}")]
    [InlineData("{\"format_version\":99999999999}")]
    [InlineData("{\"format_version\":1,\"x\":2}")]
    [InlineData("{\"x\":2,\"format_version\":1}")]
    [InlineData("{\"format_version\":1,\"format_version\":2}")]
    [InlineData("{\"\\u0066ormat_version\":1}")]
    [InlineData("{\"Format_Version\":1}")]
    [InlineData("{\"format_version\":1}x")]
    [InlineData("{\"format_version\":1")]
    public void Any_other_form_reads_or_fails_as_the_serializer_decides(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Null(StoreVersionReader.TryRead(bytes));

        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        File.WriteAllBytes(store.Layout.VersionFile, bytes);
        string expected;
        try
        {
            var file = JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.StoreVersionFile);
            expected = file is null ? $"store corruption in {store.Layout.VersionFile}: empty store version" : $"version {file.FormatVersion}";
        }
        catch (JsonException e)
        {
            expected = $"store corruption in {store.Layout.VersionFile}: unreadable store version: {e.Message}";
        }

        string actual;
        try
        {
            actual = $"version {ScuteStore.ReadFormatVersion(tmp.Path)}";
        }
        catch (StoreCorruptionException e)
        {
            actual = e.Message;
        }

        Assert.Equal(expected, actual);
    }
}
