using System.Text;
using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class LockFileIoTests
{
    private static LockFile Sample()
    {
        var inputs = Identities.From(Samples.Parse(Samples.Full));
        var envId = EnvIdentity.ComputeEnvId(inputs);
        return new LockFile
        {
            EnvId = envId,
            ShortId = EnvIdentity.ShortId(envId),
            BaseReference = "docker.io/library/debian:12.8",
            BaseDigest = inputs.BaseDigest,
            Backend = inputs.Backend,
            Gpu = inputs.Gpu,
            Audio = inputs.Audio,
            Mounts = [.. inputs.Mounts.Select(m => new LockMount(m.Label, m.Written))],
            NetworkIsolation = inputs.NetworkIsolation,
            CpuShares = inputs.CpuShares,
            MemoryLimitMb = null,
            Packages = inputs.Packages,
            Apps = inputs.Apps,
            SecurityContextJson = Identities.Security,
        };
    }

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        var written = Sample();

        LockFileIo.Write(path, written);
        var read = LockFileIo.Read(path);

        Assert.Equal(written with { Mounts = [], Packages = [], Apps = [] }, read with { Mounts = [], Packages = [], Apps = [] });
        Assert.Equal(written.Mounts, read.Mounts);
        Assert.Equal(written.Packages, read.Packages);
        Assert.Equal(written.Apps, read.Apps);
        Assert.Equal(1, read.LockVersion);
        Assert.Null(read.MemoryLimitMb);
    }

    [Fact]
    public void The_manifest_digest_of_an_oci_base_round_trips_and_is_left_out_when_absent()
    {
        using var folder = new TempFolder();
        var with = Path.Combine(folder.Path, "with.lock");
        var without = Path.Combine(folder.Path, "without.lock");
        var digest = "sha256:" + new string('b', 64);

        LockFileIo.Write(with, Sample() with { BaseManifestDigest = digest });
        LockFileIo.Write(without, Sample());

        Assert.Equal(digest, LockFileIo.Read(with).BaseManifestDigest);
        Assert.Contains("\"manifest_digest\": \"" + digest, File.ReadAllText(with));
        Assert.Null(LockFileIo.Read(without).BaseManifestDigest);
        Assert.DoesNotContain("manifest_digest", File.ReadAllText(without));
    }

    [Fact]
    public void File_is_indented_with_a_checksum_and_no_temp_files_are_left()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        LockFileIo.Write(path, Sample());
        LockFileIo.Write(path, Sample());

        var text = File.ReadAllText(path);
        Assert.Contains("\n  \"env_id\": ", text, StringComparison.Ordinal);
        Assert.Matches("\"checksum\": \"sha256:[0-9a-f]{64}\"", text);
        Assert.Equal(["scute.lock"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void One_changed_byte_in_a_value_is_detected()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        LockFileIo.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        var at = Encoding.UTF8.GetString(bytes).IndexOf("\"build-essential\"", StringComparison.Ordinal) + 1;
        bytes[at] = (byte)'B';
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<ManifestException>(() => LockFileIo.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Changed_checksum_is_detected()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        LockFileIo.Write(path, Sample());
        var text = File.ReadAllText(path);
        var at = text.IndexOf("sha256:", text.IndexOf("\"checksum\"", StringComparison.Ordinal), StringComparison.Ordinal) + 7;
        var flipped = text[at] == '0' ? '1' : '0';
        File.WriteAllText(path, text[..at] + flipped + text[(at + 1)..]);

        Assert.Throws<ManifestException>(() => LockFileIo.Read(path));
    }

    [Fact]
    public void Reformatting_is_not_tampering()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        LockFileIo.Write(path, Sample());
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\n\n", StringComparison.Ordinal));

        Assert.Equal(Sample().EnvId, LockFileIo.Read(path).EnvId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"lock_version\": 1}")]
    [InlineData("{\"checksum\": 5}")]
    public void Bad_json_names_the_file(string text)
    {
        using var folder = new TempFolder();
        var path = folder.Write("scute.lock", text);
        var ex = Assert.Throws<ManifestException>(() => LockFileIo.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ":", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Missing_lock_names_the_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");
        var ex = Assert.Throws<ManifestException>(() => LockFileIo.Read(path));
        Assert.Equal(path, ex.FilePath);
    }
}
