using Scute.Images;
using Spectre.Console;

namespace Scute.Cli.Output;

/// <summary>
/// Progress of long build steps (downloads, unpacking, package installation) on the user's
/// terminal: bytes, rate and a bar per transfer. Only when stderr is a terminal and the
/// output is not JSON; in a pipe nothing is drawn.
/// </summary>
internal sealed class TerminalProgress : ITransferProgress
{
    private readonly ProgressContext context;

    private TerminalProgress(ProgressContext context) => this.context = context;

    /// <summary>Only on a terminal, and not with --json or -v (whose lines would tear the drawing).</summary>
    public static bool Wanted(bool json, bool verbose) => !json && !verbose && !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="work"/> with progress drawn on stderr.</summary>
    public static T Run<T>(Func<ITransferProgress, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new SpinnerColumn())
            .Start(ctx => work(new TerminalProgress(ctx)));
    }

    public ITransferTask Start(string description, long? totalBytes)
    {
        lock (context)
        {
            var task = context.AddTask(Markup.Escape(description), maxValue: totalBytes is > 0 ? totalBytes.Value : 1);
            task.IsIndeterminate = totalBytes is not > 0;
            return new Task(task, context);
        }
    }

    private sealed class Task(ProgressTask task, ProgressContext context) : ITransferTask
    {
        public void Advance(long bytes)
        {
            lock (context)
            {
                task.Increment(bytes);
            }
        }

        public void Dispose()
        {
            lock (context)
            {
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }
}
