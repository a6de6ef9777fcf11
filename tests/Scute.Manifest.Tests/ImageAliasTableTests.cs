using Xunit;

namespace Scute.Manifest.Tests;

public sealed class ImageAliasTableTests
{
    /// <summary>Karapace's resolve_image table (crates/karapace-runtime/src/image.rs), name by name.</summary>
    public static TheoryData<string, string, string> Karapace => new()
    {
        { "rolling", "opensuse", "tumbleweed" },
        { "opensuse", "opensuse", "tumbleweed" },
        { "opensuse/tumbleweed", "opensuse", "tumbleweed" },
        { "tumbleweed", "opensuse", "tumbleweed" },
        { "opensuse/leap", "opensuse", "15.6" },
        { "leap", "opensuse", "15.6" },
        { "ubuntu", "ubuntu", "noble" },
        { "ubuntu/24.04", "ubuntu", "noble" },
        { "ubuntu/noble", "ubuntu", "noble" },
        { "ubuntu/22.04", "ubuntu", "jammy" },
        { "ubuntu/jammy", "ubuntu", "jammy" },
        { "ubuntu/24.10", "ubuntu", "oracular" },
        { "ubuntu/oracular", "ubuntu", "oracular" },
        { "ubuntu/20.04", "ubuntu", "focal" },
        { "ubuntu/focal", "ubuntu", "focal" },
        { "debian", "debian", "bookworm" },
        { "debian/bookworm", "debian", "bookworm" },
        { "debian/trixie", "debian", "trixie" },
        { "debian/sid", "debian", "sid" },
        { "fedora", "fedora", "41" },
        { "fedora/40", "fedora", "40" },
        { "fedora/41", "fedora", "41" },
        { "fedora/42", "fedora", "42" },
        { "arch", "archlinux", "current" },
        { "archlinux", "archlinux", "current" },
    };

    [Theory]
    [MemberData(nameof(Karapace))]
    public void Every_Karapace_alias_names_its_simplestreams_product(string alias, string os, string release)
    {
        var r = ImageReference.Parse(alias, "/tmp");

        Assert.Equal(ImageSourceKind.Alias, r.Kind);
        Assert.Equal((os, release), (r.Alias!.Os, r.Alias.Release));
    }

    [Fact]
    public void The_table_holds_exactly_Karapace_s_aliases()
    {
        Assert.Equal(Karapace.Select(row => (string)row[0]).Order(StringComparer.Ordinal), ImageAliases.All.Keys.Order(StringComparer.Ordinal));
    }
}
