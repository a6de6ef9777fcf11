namespace Scute.Engine.Tests;

/// <summary>The test project's clean-up stays inside its own folder.</summary>
public sealed class TestProjectTests
{
    [Fact]
    public void Disposing_never_changes_a_folder_a_link_inside_leads_to()
    {
        var outside = Directory.CreateTempSubdirectory("scute-outside-").FullName;
        try
        {
            var deep = Directory.CreateDirectory(Path.Combine(outside, "a", "b")).FullName;
            File.SetUnixFileMode(deep, (UnixFileMode)0b111_101_101);
            var project = new TestProject();
            File.CreateSymbolicLink(Path.Combine(project.Root, "link"), outside);
            Directory.CreateDirectory(Path.Combine(project.Root, "own", "sub"));

            project.Dispose();

            Assert.False(Directory.Exists(project.Root));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(deep));
            Assert.True(Directory.Exists(deep));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
