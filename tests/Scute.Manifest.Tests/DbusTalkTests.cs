using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

/// <summary>[gui] dbus_talk (issue 12): the session bus names an environment may talk to, and their strict overrides.</summary>
public class DbusTalkTests
{
    [Fact]
    public void Names_are_trimmed_sorted_and_deduplicated_and_in_the_canonical_form()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[gui]\ndbus_talk = [\" org.freedesktop.Notifications\", \"org.a.B\", \"org.a.B\", \"org.mpris.MediaPlayer2.*\"]\n");

        Assert.Equal(["org.a.B", "org.freedesktop.Notifications", "org.mpris.MediaPlayer2.*"], m.DbusTalk);
        Assert.Contains("\"dbus_talk\":[\"org.a.B\",\"org.freedesktop.Notifications\",\"org.mpris.MediaPlayer2.*\"]", CanonicalManifest.ToJson(m), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_names_the_canonical_form_is_unchanged()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[gui]\napps = [\"gimp\"]\n");

        Assert.Empty(m.DbusTalk);
        Assert.Contains("\"gui\":{\"apps\":[\"gimp\"]}", CanonicalManifest.ToJson(m), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":1.42")]
    [InlineData("org")]
    [InlineData("org..freedesktop")]
    [InlineData("org.1freedesktop")]
    [InlineData("org.free desktop")]
    [InlineData("*")]
    public void A_name_that_is_not_a_well_known_bus_name_is_refused_with_its_line(string name)
    {
        var e = Assert.Throws<ManifestException>(() => Samples.Parse(Samples.Minimal + $"\n[gui]\ndbus_talk = [\n\"{name}\"]\n"));

        Assert.Contains("gui.dbus_talk", e.Message, StringComparison.Ordinal);
        Assert.Contains("well-known bus name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"dbus_talk.org.freedesktop.Notifications\" = \"shows a notification when a build ends\"\n")]
    [InlineData("dbus_talk.org.freedesktop.Notifications = \"shows a notification when a build ends\"\n")]
    public void A_bus_override_may_be_quoted_or_dotted(string line)
    {
        var m = Samples.Parse(Samples.Minimal + "\n[gui]\ndbus_talk = [\"org.freedesktop.Notifications\"]\n[security]\nprofile = \"strict\"\n[security.overrides]\n" + line);

        Assert.Equal("shows a notification when a build ends", m.Security!.Overrides["dbus_talk.org.freedesktop.Notifications"]);
    }

    [Fact]
    public void An_unknown_key_in_gui_is_still_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Samples.Parse(Samples.Minimal + "\n[gui]\ndbus = [\"org.a.B\"]\n"));

        Assert.Contains("dbus", e.Message, StringComparison.Ordinal);
    }
}
