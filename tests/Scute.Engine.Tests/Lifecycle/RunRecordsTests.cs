using System.Diagnostics;
using System.Globalization;
using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>
/// An environment is running while the scute process or the backend's child that its run record
/// names lives; records live in $XDG_RUNTIME_DIR when it is private, else in the store.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class RunRecordsTests : IDisposable
{
    private const string EnvId = "abcdefabcdef0123456789012345678901234567890123456789012345678901";
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly ScuteStore store;

    public RunRecordsTests()
    {
        variables.Set("XDG_RUNTIME_DIR", null);
        store = ScuteStore.OpenOrCreate(project.Store);
    }

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    [Fact]
    public void A_record_of_this_process_is_live_until_it_is_removed()
    {
        var record = RunRecords.Create(store, EnvId);

        Assert.Equal(Path.Combine(RunRecords.Folders(store).WriteRoot, EnvId, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), record);
        Assert.Equal([Environment.ProcessId], RunRecords.Live(store, EnvId));
        RunRecords.Remove(record);
        Assert.Empty(RunRecords.Live(store, EnvId));
        Assert.False(Directory.Exists(Path.Combine(RunRecords.Folders(store).WriteRoot, EnvId)));
    }

    [Fact]
    public void A_record_whose_pid_is_gone_is_stale_and_removed_under_the_lock()
    {
        var dead = DeadPid();
        var path = WriteRecord(store.Layout.RunDir, dead, $"{StartOf(Environment.ProcessId)}\n");

        Assert.Empty(RunRecords.Live(store, EnvId));
        Assert.True(File.Exists(path));
        RunRecords.RemoveStale(store, EnvId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_record_whose_pid_now_has_another_start_time_is_stale()
    {
        // Our own pid with a start time that is not ours: a reused pid.
        WriteRecord(store.Layout.RunDir, Environment.ProcessId, "1\n");

        Assert.Empty(RunRecords.Live(store, EnvId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("x\n")]
    public void A_torn_record_is_stale(string content)
    {
        WriteRecord(store.Layout.RunDir, Environment.ProcessId, content);

        Assert.Empty(RunRecords.Live(store, EnvId));
    }

    [Fact]
    public void A_run_whose_scute_was_killed_counts_while_its_backend_child_lives()
    {
        using var child = Process.Start("sleep", "30");
        try
        {
            var dead = DeadPid();
            WriteRecord(store.Layout.RunDir, dead, $"1\n{child.Id} {StartOf(child.Id)}\n");

            Assert.Equal([dead], RunRecords.Live(store, EnvId));

            child.Kill();
            child.WaitForExit();

            Assert.Empty(RunRecords.Live(store, EnvId));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public void AddProcess_appends_the_child_and_keeps_the_first_line()
    {
        var record = RunRecords.Create(store, EnvId);
        var first = File.ReadAllLines(record)[0];

        RunRecords.AddProcess(record, Environment.ProcessId);

        var lines = File.ReadAllLines(record);
        Assert.Equal([first, $"{Environment.ProcessId} {StartOf(Environment.ProcessId)}"], lines);
        Assert.Equal([Environment.ProcessId], RunRecords.Live(store, EnvId));
    }

    [Fact]
    public void A_private_runtime_dir_holds_the_records_and_the_store_holds_none()
    {
        var runtime = PrivateFolder("runtime");
        variables.Set("XDG_RUNTIME_DIR", runtime);

        var record = RunRecords.Create(store, EnvId);

        Assert.StartsWith(Path.Combine(runtime, "scute") + "/", record, StringComparison.Ordinal);
        Assert.EndsWith($"/run/{EnvId}/{Environment.ProcessId}", record, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store.Layout.RunDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(record)!));

        Assert.Contains(EnvId, RunRecords.WithRecords(store));

        // One with it sees records written to the store by a command started without it (cron, su).
        RunRecords.Remove(record);
        variables.Set("XDG_RUNTIME_DIR", null);
        var fallback = RunRecords.Create(store, EnvId);
        Assert.False(fallback.StartsWith(runtime + "/", StringComparison.Ordinal));
        variables.Set("XDG_RUNTIME_DIR", runtime);
        Assert.Equal([Environment.ProcessId], RunRecords.Live(store, EnvId));
    }

    [Fact]
    public void Without_the_variable_the_login_runtime_dir_is_used_and_read()
    {
        var login = PrivateFolder("run-user");
        var other = PrivateFolder("elsewhere");

        var noShm = Path.Combine(project.Root, "no-shm");
        var unset = RunRecordFolders.For(store.Layout, null, login, noShm);
        var set = RunRecordFolders.For(store.Layout, other, login, noShm);

        Assert.StartsWith(login + "/scute/", unset.WriteRoot, StringComparison.Ordinal);
        Assert.Equal([unset.WriteRoot, store.Layout.RunDir], unset.ReadRoots);
        Assert.StartsWith(other + "/scute/", set.WriteRoot, StringComparison.Ordinal);
        Assert.Equal([set.WriteRoot, unset.WriteRoot, store.Layout.RunDir], set.ReadRoots);
    }

    [Fact]
    public void Two_stores_get_two_runtime_folders()
    {
        var runtime = PrivateFolder("runtime");
        var other = new StoreLayout(Path.Combine(project.Root, "other"));

        Assert.NotEqual(RunRecordFolders.For(store.Layout, runtime).WriteRoot, RunRecordFolders.For(other, runtime).WriteRoot);
        Assert.StartsWith(runtime + "/", RunRecordFolders.For(other, runtime).WriteRoot, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runtime_dir_others_can_write_or_that_is_missing_is_not_used()
    {
        var shared = PrivateFolder("shared");
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_111_111);

        var none = Path.Combine(project.Root, "missing");

        Assert.Equal(store.Layout.RunDir, RunRecordFolders.For(store.Layout, shared, none, none).WriteRoot);
        Assert.Equal(store.Layout.RunDir, RunRecordFolders.For(store.Layout, none, none, none).WriteRoot);
        Assert.Equal(store.Layout.RunDir, RunRecordFolders.For(store.Layout, "relative/dir", none, shared).WriteRoot);
    }

    [Fact]
    public void Without_a_runtime_dir_a_writer_makes_a_private_shared_memory_folder_and_readers_find_it()
    {
        var none = Path.Combine(project.Root, "missing");
        var shm = Path.Combine(project.Root, "shm-scute");

        Assert.Equal([store.Layout.RunDir], RunRecordFolders.For(store.Layout, null, none, shm).ReadRoots);
        var writer = RunRecordFolders.For(store.Layout, null, none, shm, create: true);

        Assert.StartsWith(shm + "/scute/", writer.WriteRoot, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(shm));
        Assert.Equal([writer.WriteRoot, store.Layout.RunDir], RunRecordFolders.For(store.Layout, null, none, shm).ReadRoots);
    }

    [Fact]
    public void A_shared_memory_folder_others_can_enter_or_a_link_there_is_not_used()
    {
        var none = Path.Combine(project.Root, "missing");
        var open = PrivateFolder("shm-open");
        File.SetUnixFileMode(open, (UnixFileMode)0b111_101_101);
        var link = Path.Combine(project.Root, "shm-link");
        File.CreateSymbolicLink(link, PrivateFolder("shm-target"));

        Assert.Equal(store.Layout.RunDir, RunRecordFolders.For(store.Layout, null, none, open, create: true).WriteRoot);
        Assert.Equal(store.Layout.RunDir, RunRecordFolders.For(store.Layout, null, none, link, create: true).WriteRoot);
    }

    [Theory]
    [InlineData(EnvState.Built, true, EnvState.Running)]
    [InlineData(EnvState.Built, false, EnvState.Built)]
    [InlineData(EnvState.Running, false, EnvState.Built)]
    [InlineData(EnvState.Running, true, EnvState.Running)]
    [InlineData(EnvState.Frozen, true, EnvState.Frozen)]
    [InlineData(EnvState.Archived, false, EnvState.Archived)]
    public void The_effective_state_comes_from_the_records(EnvState stored, bool live, EnvState shown)
    {
        var env = StateMachineTests.Env(stored);

        Assert.Equal(shown, RunRecords.Effective(env, live).State);
        Assert.NotEqual(EnvState.Running, RunRecords.ForStorage(RunRecords.Effective(env, live)).State);
    }

    private string PrivateFolder(string name)
    {
        var dir = Path.Combine(project.Root, name);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private static string WriteRecord(string root, int pid, string content)
    {
        var dir = Path.Combine(root, EnvId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, pid.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(path, content);
        return path;
    }

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    private static string StartOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }
}
