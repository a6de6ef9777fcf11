using System.Collections.ObjectModel;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Scute.Tui;

/// <summary>The list, its filter, the inspect pane, a button per action and the status line.</summary>
public sealed class MainWindow : Window
{
    /// <summary>An action that needs the terminal, run once this window has closed.</summary>
    public sealed record Pending(TuiAction Action, EnvironmentRow Row, string? Input);

    private static readonly System.Text.Rune NoHotKey = new('\uffff');

    private readonly TuiModel model;
    private readonly TextField filter;
    private readonly ListView list;
    private readonly ListView details;
    private readonly ObservableCollection<string> detailLines = [];
    private readonly Label status;
    private readonly ObservableCollection<string> lines = [];

    public MainWindow(TuiModel model, string? statusLine, string? selectEnvId)
    {
        this.model = model;
        Title = "scute tui";
        var filterLabel = new Label { Text = "Filter:", X = 0, Y = 0 };
        filter = new TextField { X = Pos.Right(filterLabel) + 1, Y = 0, Width = Dim.Fill(), Text = model.Filter };
        // No hot key letters in the header and the rows: SHORT_ID's underscore is text.
        var header = new Label { X = 0, Y = 2 };
        header.HotKeySpecifier = NoHotKey;
        header.Text = EnvironmentRow.Header;
        list = new ListView { HotKeySpecifier = NoHotKey, X = 0, Y = 3, Width = Dim.Percent(55), Height = Dim.Fill(3) };
        var pane = new FrameView { Title = "Inspect", X = Pos.Right(list) + 1, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(3) };
        details = new ListView { HotKeySpecifier = NoHotKey, X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        pane.Add(details);
        status = new Label { HotKeySpecifier = NoHotKey, X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = statusLine ?? TuiKeys.Help };
        Add(filterLabel, filter, header, list, pane, status);
        AddButtons();

        list.SetSource(lines);
        details.SetSource(detailLines);
        filter.TextChanged += (_, _) =>
        {
            model.Filter = filter.Text;
            Reload(SelectedEnvId);
        };
        filter.KeyDown += (_, key) =>
        {
            if (key == Key.Enter || key == Key.CursorDown)
            {
                list.SetFocus();
                key.Handled = true;
            }
        };
        list.ValueChanged += (_, _) => ShowDetails();
        list.Accepting += (_, e) =>
        {
            Act(TuiAction.Enter);
            e.Handled = true;
        };
        Reload(selectEnvId);
        list.SetFocus();
    }

    /// <summary>Set when the window closed for an action that needs the terminal; null when the user quit.</summary>
    public Pending? Next { get; private set; }

    public string? SelectedEnvId => Selected?.EnvId;

    private EnvironmentRow? Selected =>
        list.SelectedItem is int i && i >= 0 && i < model.Visible.Count ? model.Visible[i] : null;

    private void AddButtons()
    {
        View? previous = null;
        foreach (var (key, action, label) in TuiKeys.All)
        {
            // Buttons are for the mouse; the keyboard uses the list's keys, so they take no focus.
            var button = new Button { Title = $"{key} {label}", X = previous is null ? 0 : Pos.Right(previous), Y = Pos.AnchorEnd(2), CanFocus = false, NoDecorations = true, ShadowStyle = ShadowStyles.None };
            button.Accepting += (_, e) =>
            {
                Act(action);
                e.Handled = true;
            };
            Add(button);
            previous = button;
        }
    }

    /// <summary>
    /// The list's keys, seen at the application level (before the list's own type-to-search takes
    /// letters); not while the filter has the focus or a dialog is up.
    /// </summary>
    public void OnApplicationKey(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Handled && App?.TopRunnableView == this && !filter.HasFocus)
        {
            key.Handled = OnListKey(key);
        }
    }

    private bool OnListKey(Key key)
    {
        if (key == Key.F5)
        {
            ShowStatus(model.Refresh());
            Reload(SelectedEnvId);
            return true;
        }

        if (key.IsCtrl || key.IsAlt || !key.TryGetPrintableRune(out var rune) || !rune.IsBmp)
        {
            return false;
        }

        var c = (char)rune.Value;
        if (c == '/')
        {
            filter.SetFocus();
            return true;
        }

        if (c == 'q')
        {
            App?.RequestStop();
            return true;
        }

        if (TuiKeys.For(c) is { } action)
        {
            Act(action);
            return true;
        }

        return false;
    }

    private void Act(TuiAction action)
    {
        var row = Selected;
        if (TuiModel.NeedsEnvironment(action) && row is null)
        {
            ShowStatus(new TuiOutcome("select an environment first", Error: true));
            return;
        }

        if (TuiModel.Confirmation(action, row) is { } question && !Ask(action.ToString(), question, "_Yes", "_No"))
        {
            ShowStatus(new TuiOutcome("not done", Error: false));
            return;
        }

        string? input = null;
        if (model.Input(action, row) is { } needed)
        {
            input = Prompt(action.ToString(), needed);
            if (input is null || (!needed.Optional && input.Length == 0))
            {
                ShowStatus(new TuiOutcome("not done", Error: false));
                return;
            }
        }

        if (TuiModel.NeedsTerminal(action))
        {
            Next = new Pending(action, row!, input);
            App?.RequestStop();
            return;
        }

        Say("working...");
        var outcome = model.Dispatch(action, row, input);
        ShowStatus(outcome);
        if (action == TuiAction.Gc && !outcome.Error && Ask("gc", outcome.Line + "\nRemove them now?", "_Remove", "_Cancel"))
        {
            ShowStatus(model.Dispatch(TuiAction.GcRemove, null));
        }

        model.Refresh();
        Reload(row?.EnvId);
    }

    private bool Ask(string title, string question, string yes, string no) =>
        App is { } app && MessageBox.Query(app, title, question, yes, no) == 0;

    private string? Prompt(string title, TuiInput input)
    {
        if (App is not { } app)
        {
            return null;
        }

        using var dialog = new Dialog { Title = title, Width = Dim.Percent(60) };
        var label = new Label { Text = input.Prompt + ":", X = 0, Y = 0 };
        var field = new TextField { X = 0, Y = 1, Width = Dim.Fill(), Text = input.Default };
        var ok = new Button { Title = "_OK" };
        var cancel = new Button { Title = "_Cancel" };
        var accepted = false;
        // Enter in the field is OK, whichever button the dialog marks as its default.
        void Close(CommandEventArgs e, bool yes)
        {
            accepted = yes;
            e.Handled = true;
            app.RequestStop(dialog);
        }

        field.Accepting += (_, e) => Close(e, yes: true);
        ok.Accepting += (_, e) => Close(e, yes: true);
        cancel.Accepting += (_, e) => Close(e, yes: false);
        dialog.Add(label, field);
        dialog.AddButton(ok);
        dialog.AddButton(cancel);
        field.SetFocus();
        app.Run(dialog);
        return accepted ? field.Text.Trim() : null;
    }

    private void Reload(string? keepEnvId)
    {
        lines.Clear();
        foreach (var row in model.Visible)
        {
            lines.Add(row.Line);
        }

        var index = keepEnvId is null ? 0 : Math.Max(0, model.Visible.ToList().FindIndex(r => r.EnvId == keepEnvId));
        list.SelectedItem = model.Visible.Count == 0 ? null : index;
        ShowDetails();
    }

    private void ShowDetails()
    {
        detailLines.Clear();
        foreach (var line in model.DetailsText(Selected).Split('\n'))
        {
            detailLines.Add(line);
        }
    }

    /// <summary>A line said while an action still runs on this thread (the store lock is busy ...): drawn at once.</summary>
    public void Say(string line)
    {
        status.Text = line;
        App?.LayoutAndDraw(true);
    }

    private void ShowStatus(TuiOutcome? outcome)
    {
        if (outcome is not null)
        {
            status.Text = outcome.Line;
        }
    }
}
