using Scute.Engine.Sbom;

namespace Scute.Engine.Tests.Sbom;

public sealed class PackageDatabasesTests
{
    internal const string Status = """
        Package: bash
        Essential: yes
        Status: install ok installed
        Priority: required
        Architecture: amd64
        Maintainer: Matthias Klose <doko@debian.org>
        Version: 5.2.15-2+b7
        Description: GNU Bourne Again SHell
         Bash is an sh-compatible command language interpreter.
         .
         Version: 9.9 (a continuation line, not a field)

        Package: removed-one
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0

        Package: libc6
        Status: install ok installed
        Architecture: amd64
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Version: 2.36-9+deb12u4
        """;

    [Fact]
    public void Dpkg_status_lists_installed_packages_only_with_exact_version_and_maintainer()
    {
        var packages = PackageDatabases.ParseDpkgStatus(Status);

        Assert.Equal(
            [
                new InstalledPackage("deb", "bash", "5.2.15-2+b7", "amd64", "Matthias Klose <doko@debian.org>"),
                new InstalledPackage("deb", "libc6", "2.36-9+deb12u4", "amd64", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"),
            ],
            packages);
    }

    [Fact]
    public void Apk_installed_database_is_read()
    {
        const string installed = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nm:Timo Teräs <timo.teras@iki.fi>\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\n";

        var packages = PackageDatabases.ParseApkInstalled(installed);

        Assert.Equal(
            [
                new InstalledPackage("apk", "busybox", "1.36.1-r5", "x86_64", null),
                new InstalledPackage("apk", "musl", "1.2.4-r2", "x86_64", "Timo Teräs <timo.teras@iki.fi>"),
            ],
            packages);
    }

    [Theory]
    [InlineData("ID=debian\nVERSION_ID=\"12\"", "debian")]
    [InlineData("NAME=\"Alpine\"\nID=\"alpine\"", "alpine")]
    [InlineData("NAME=x", null)]
    public void Os_release_id(string text, string? id) => Assert.Equal(id, PackageDatabases.OsReleaseId(text));

    [Theory]
    [InlineData("Matthias Klose <doko@debian.org>", "Person: Matthias Klose (doko@debian.org)")]
    [InlineData("GNU Libc Maintainers <debian-glibc@lists.debian.org>", "Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)")]
    [InlineData("Debian Bash Team <x@example.org>", "Organization: Debian Bash Team (x@example.org)")]
    [InlineData("Jane (J.) Doe <j@example.org>", "Person: Jane [J.] Doe (j@example.org)")]
    [InlineData("Nobody", "Person: Nobody")]
    [InlineData(null, "NOASSERTION")]
    [InlineData("  ", "NOASSERTION")]
    public void Maintainer_becomes_an_spdx_supplier(string? maintainer, string supplier) => Assert.Equal(supplier, SpdxSupplier.From(maintainer));
}
