using System.Diagnostics;
using System.Globalization;
using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>
/// The records of the user-namespace holders: beside the run folder (tmpfs ones only), and
/// ended by stop and destroy only when the process they name is the one that wrote them.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class UserNamespaceHoldersTests : IDisposable
{
    private const string EnvId = "abcdefabcdef0123456789012345678901234567890123456789012345678901";
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly ScuteStore store;

    public UserNamespaceHoldersTests()
    {
        var runtime = Path.Combine(project.Root, "runtime");
        Directory.CreateDirectory(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        variables.Set("XDG_RUNTIME_DIR", runtime);
        store = ScuteStore.OpenOrCreate(project.Store);
    }

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    [Fact]
    public void The_record_sits_in_holders_beside_the_run_folder_and_never_in_the_stores_own()
    {
        var runRoot = RunRecords.Folders(store).WriteRoot;

        Assert.Equal(
            Path.Combine(Path.GetDirectoryName(runRoot)!, "holders", EnvId),
            UserNamespaceHolders.RecordBeside(store, Path.Combine(runRoot, EnvId, "123"), EnvId));
        Assert.Null(UserNamespaceHolders.RecordBeside(store, Path.Combine(store.Layout.RunDir, EnvId, "123"), EnvId));
    }

    [Fact]
    public void End_kills_the_holder_its_record_names_and_removes_the_record()
    {
        using var holder = Process.Start("sleep", "30");
        var record = WriteRecord($"{holder.Id} {StartOf(holder.Id)}\n");

        UserNamespaceHolders.End(store, EnvId);

        Assert.True(holder.WaitForExit(5000), "the holder still runs");
        Assert.False(File.Exists(record));
    }

    [Fact]
    public void End_leaves_a_process_whose_start_time_differs_and_removes_the_stale_record()
    {
        using var other = Process.Start("sleep", "30");
        var record = WriteRecord($"{other.Id} {StartOf(other.Id) + 1}\n");

        UserNamespaceHolders.End(store, EnvId);

        Assert.False(other.HasExited, "a process the record did not truly name was killed");
        Assert.False(File.Exists(record));
        other.Kill();
    }

    private string WriteRecord(string content)
    {
        var path = UserNamespaceHolders.RecordBeside(store, Path.Combine(RunRecords.Folders(store, create: true).WriteRoot, EnvId, "1"), EnvId)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static long StartOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }
}
