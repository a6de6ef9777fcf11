using System.Diagnostics;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>A run record's start time: field 22 of /proc/pid/stat, a command name with spaces and parentheses notwithstanding; none for a process that is gone.</summary>
public sealed class ProcessStartTimeTests
{
    private static long Field22(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Is_field_22_of_the_process()
    {
        Assert.Equal(Field22(Environment.ProcessId), ProcessSignals.StartTime(Environment.ProcessId));
    }

    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var dir = Directory.CreateTempSubdirectory("scute-comm-").FullName;
        try
        {
            var odd = Path.Combine(dir, "a) b (c");
            File.Copy("/bin/sleep", odd);
            using var p = Process.Start(odd, "30");
            try
            {
                Thread.Sleep(100);
                Assert.Equal(Field22(p.Id), ProcessSignals.StartTime(p.Id));
            }
            finally
            {
                p.Kill();
                p.WaitForExit();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_process_that_is_gone_has_none()
    {
        Assert.Null(ProcessSignals.StartTime(int.MaxValue));
    }
}
