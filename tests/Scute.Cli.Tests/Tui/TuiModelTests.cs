using Scute.Tui;
using Scute.Store;

namespace Scute.Cli.Tests.Tui;

public sealed class TuiModelTests
{
    private readonly FakeOperations ops = new();

    private TuiModel Model()
    {
        ops.Rows.AddRange([
            FakeOperations.Row("aaaa11112222", "web"),
            FakeOperations.Row("bbbb33334444", "db", state: "frozen", @base: "alpine:3.20"),
            FakeOperations.Row("cccc55556666", null, state: "archived"),
        ]);
        var model = new TuiModel(ops);
        Assert.Null(model.Refresh());
        return model;
    }

    [Fact]
    public void Rows_show_short_id_name_state_base_size_and_created()
    {
        var row = FakeOperations.Row("aaaa11112222", "web");

        var cells = row.Line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["aaaa11112222", "web", "built", "debian:bookworm", "4.1", "kB", "2026-01-02", "03:04"], cells);
        Assert.Equal(["SHORT_ID", "NAME", "STATE", "BASE", "SIZE", "CREATED"], EnvironmentRow.Header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("-", FakeOperations.Row("cccc55556666", null).Line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal("?", EnvironmentRow.Size(null));
        Assert.Equal("1.5 GB", EnvironmentRow.Size(1_500_000_000));
    }

    [Fact]
    public void The_list_holds_every_environment_of_the_store_in_order()
    {
        var model = Model();

        Assert.Equal(["aaaa11112222", "bbbb33334444", "cccc55556666"], model.Visible.Select(r => r.ShortId));
    }

    [Theory]
    [InlineData("web", new[] { "aaaa11112222" })]
    [InlineData("WEB", new[] { "aaaa11112222" })]
    [InlineData("bbbb", new[] { "bbbb33334444" })]
    [InlineData("alpine", new[] { "bbbb33334444" })]
    [InlineData("archived", new[] { "cccc55556666" })]
    [InlineData("bookworm", new[] { "aaaa11112222", "cccc55556666" })]
    [InlineData("debian built", new[] { "aaaa11112222" })]
    [InlineData("", new[] { "aaaa11112222", "bbbb33334444", "cccc55556666" })]
    [InlineData("nothing-like-it", new string[0])]
    public void The_filter_narrows_the_list_as_it_is_typed(string filter, string[] expected)
    {
        var model = Model();

        model.Filter = filter;

        Assert.Equal(expected, model.Visible.Select(r => r.ShortId));
    }

    [Fact]
    public void The_filter_stays_through_a_refresh_and_sees_a_destroyed_environment_go()
    {
        var model = Model();
        model.Filter = "web";

        model.Dispatch(TuiAction.Destroy, model.Visible[0]);
        model.Refresh();

        Assert.Empty(model.Visible);
        Assert.Equal("no environment matches the filter", model.DetailsText(null));
        model.Filter = string.Empty;
        Assert.Equal(2, model.Visible.Count);
    }

    [Theory]
    [InlineData(TuiAction.Stop, null, "stop ID")]
    [InlineData(TuiAction.Freeze, null, "freeze ID")]
    [InlineData(TuiAction.Archive, null, "archive ID")]
    [InlineData(TuiAction.Destroy, null, "destroy ID")]
    [InlineData(TuiAction.Rename, " newname ", "rename ID newname")]
    [InlineData(TuiAction.Commit, "a note", "commit ID a note")]
    [InlineData(TuiAction.Commit, "", "commit ID <none>")]
    [InlineData(TuiAction.Restore, "abcdef123456", "restore ID abcdef123456")]
    [InlineData(TuiAction.Enter, null, "run ID []")]
    [InlineData(TuiAction.Exec, "echo 'a b' \"c\\\"d\" e\\ f", "run ID [echo|a b|c\"d|e f]")]
    public void Each_action_calls_its_engine_operation_on_the_selected_environment(TuiAction action, string? input, string call)
    {
        var model = Model();
        var row = model.Visible[1];

        var outcome = model.Dispatch(action, row, input);

        Assert.False(outcome.Error, outcome.Line);
        Assert.Equal([call.Replace("ID", row.EnvId, StringComparison.Ordinal)], ops.Calls);
    }

    [Fact]
    public void Gc_is_a_dry_run_and_only_gc_remove_removes()
    {
        var model = Model();

        var preview = model.Dispatch(TuiAction.Gc, null);
        Assert.Equal(["gc --dry-run"], ops.Calls);
        Assert.StartsWith("gc dry run: ", preview.Line, StringComparison.Ordinal);

        model.Dispatch(TuiAction.GcRemove, null);
        Assert.Equal(["gc --dry-run", "gc"], ops.Calls);
    }

    [Fact]
    public void Only_destroy_asks_for_a_yes_first()
    {
        var row = FakeOperations.Row("aaaa11112222", "web");

        Assert.Equal("Destroy web (aaaa11112222) and all its changes?", TuiModel.Confirmation(TuiAction.Destroy, row));
        Assert.All(Enum.GetValues<TuiAction>().Where(a => a != TuiAction.Destroy), a => Assert.Null(TuiModel.Confirmation(a, row)));
    }

    [Fact]
    public void Restore_offers_the_newest_snapshot_that_is_not_current()
    {
        var model = Model();
        ops.Snapshots.AddRange([new SnapshotRow("111111111111", false, null), new SnapshotRow("222222222222", false, "b"), new SnapshotRow("333333333333", true, null)]);

        Assert.Equal("222222222222", model.Input(TuiAction.Restore, model.Visible[0])!.Default);
        Assert.Equal("web", model.Input(TuiAction.Rename, model.Visible[0])!.Default);
        Assert.Null(model.Input(TuiAction.Destroy, model.Visible[0]));
    }

    [Fact]
    public void Only_enter_and_exec_suspend_the_ui()
    {
        Assert.Equal([TuiAction.Enter, TuiAction.Exec], Enum.GetValues<TuiAction>().Where(TuiModel.NeedsTerminal));
    }

    [Fact]
    public void An_engine_error_is_one_line_and_never_a_stack_trace()
    {
        var model = Model();
        ops.Failure = new StoreException("environment web is running\n   at Some.Frame()");

        var outcome = model.Dispatch(TuiAction.Destroy, model.Visible[0]);

        Assert.True(outcome.Error);
        Assert.Equal("scute: environment web is running    at Some.Frame()", outcome.Line);
        Assert.DoesNotContain('\n', outcome.Line);
    }

    [Fact]
    public void An_unexpected_error_is_one_line_marked_internal()
    {
        var model = Model();
        ops.Failure = new InvalidOperationException("boom");

        Assert.Equal("scute: internal error: boom", model.Dispatch(TuiAction.Stop, model.Visible[0]).Line);
        Assert.Equal("scute: internal error: boom", model.Refresh()!.Line);
    }

    [Fact]
    public void Actions_on_an_environment_need_one_selected_and_exec_needs_a_command()
    {
        var model = Model();

        Assert.Equal("select an environment first", model.Dispatch(TuiAction.Freeze, null).Line);
        Assert.True(model.Dispatch(TuiAction.Exec, model.Visible[0], "  ").Error);
        Assert.True(model.Dispatch(TuiAction.Exec, model.Visible[0], "echo 'open").Error);
        Assert.True(model.Dispatch(TuiAction.Rename, model.Visible[0], "").Error);
        Assert.Empty(ops.Calls);
    }

    [Theory]
    [InlineData('e', TuiAction.Enter)]
    [InlineData('x', TuiAction.Exec)]
    [InlineData('c', TuiAction.Commit)]
    [InlineData('r', TuiAction.Restore)]
    [InlineData('s', TuiAction.Stop)]
    [InlineData('f', TuiAction.Freeze)]
    [InlineData('a', TuiAction.Archive)]
    [InlineData('n', TuiAction.Rename)]
    [InlineData('d', TuiAction.Destroy)]
    [InlineData('g', TuiAction.Gc)]
    public void Each_action_has_its_key(char key, TuiAction action)
    {
        Assert.Equal(action, TuiKeys.For(key));
        Assert.Contains($"{key} ", TuiKeys.Help, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_keys_do_nothing()
    {
        Assert.Null(TuiKeys.For('z'));
        Assert.Null(TuiKeys.For('q'));
    }
}
