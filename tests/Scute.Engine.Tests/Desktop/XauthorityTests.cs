using System.Text;
using Scute.Engine.Desktop;

namespace Scute.Engine.Tests.Desktop;

public sealed class XauthorityTests
{
    private static readonly byte[] CookieA = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
    private static readonly byte[] CookieB = [.. Enumerable.Range(100, 16).Select(i => (byte)i)];

    private static XauthEntry Local(string host, string number, byte[] cookie) =>
        new(Xauthority.FamilyLocal, Encoding.ASCII.GetBytes(host), number, "MIT-MAGIC-COOKIE-1", cookie);

    [Fact]
    public void Reads_the_format_xauth_writes()
    {
        // As `xauth add myhost/unix:7 MIT-MAGIC-COOKIE-1 000102...` stores it.
        byte[] file = [0x01, 0x00, 0x00, 0x06, .. "myhost"u8, 0x00, 0x01, (byte)'7', 0x00, 0x12, .. "MIT-MAGIC-COOKIE-1"u8, 0x00, 0x10, .. CookieA];

        var entry = Assert.Single(Xauthority.Parse(file));

        Assert.Equal(("myhost", "7", "MIT-MAGIC-COOKIE-1"), (Encoding.ASCII.GetString(entry.Address), entry.Number, entry.Name));
        Assert.Equal(Xauthority.FamilyLocal, entry.Family);
        Assert.Equal(CookieA, entry.Data);
        Assert.Equal(file, Xauthority.Write([entry]));
    }

    [Fact]
    public void Keeps_only_the_cookie_of_the_one_display_as_a_wildcard_entry()
    {
        var entries = new[] { Local("myhost", "3", CookieB), Local("otherhost", "7", CookieB), Local("myhost", "7", CookieA), Local("myhost", "70", CookieB) };

        var one = Xauthority.ForDisplay(entries, 7, "myhost");

        Assert.NotNull(one);
        Assert.Equal(Xauthority.FamilyWild, one.Family);
        Assert.Empty(one.Address);
        Assert.Equal("7", one.Number);
        Assert.Equal(CookieA, one.Data);
        var written = Xauthority.Write([one]);
        Assert.Equal(2 + 2 + 2 + 1 + 2 + 18 + 2 + 16, written.Length);
    }

    [Fact]
    public void No_cookie_for_the_display_is_none_and_a_cut_file_is_refused()
    {
        Assert.Null(Xauthority.ForDisplay([Local("myhost", "3", CookieA)], 7, "myhost"));
        Assert.Throws<InvalidDataException>(() => Xauthority.Parse([0x01, 0x00, 0x00, 0x09, (byte)'m']));
    }

    [Theory]
    [InlineData(":0", 0)]
    [InlineData(":12.0", 12)]
    [InlineData("unix:5", 5)]
    [InlineData("otherhost:0", null)]
    [InlineData("localhost:10.0", null)]
    [InlineData("", null)]
    [InlineData(":x", null)]
    public void Only_a_local_display_has_a_socket_to_pass(string display, int? number) =>
        Assert.Equal(number, DisplayName.LocalNumber(display));

    [Theory]
    [InlineData("wayland-0", "/run/user/1000", "/run/user/1000/wayland-0")]
    [InlineData("/tmp/w/wayland-1", "/run/user/1000", "/tmp/w/wayland-1")]
    [InlineData("wayland-0", null, null)]
    [InlineData("../bus", "/run/user/1000", null)]
    public void The_wayland_socket_is_named_or_absolute(string wayland, string? runtime, string? expected) =>
        Assert.Equal(expected, DisplayName.WaylandSocket(wayland, runtime));
}
