using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Seccomp;

/// <summary>
/// A filter compiled at build travels in the run spec (its bytes in the binary record) and the command stage
/// installs it as it is; a program for another architecture, or none, is compiled on the spot.
/// </summary>
public sealed class SeccompProgramTests
{
    private static readonly SeccompArch Native = SeccompArchitectures.Native;

    [Fact]
    public void A_program_survives_the_run_spec_record_unchanged()
    {
        var compiled = SeccompFilter.Prepare(SeccompSpec.Default, ["NET_BIND_SERVICE"])!;
        var spec = Specs.Spec(Specs.Single()) with { Capabilities = ["NET_BIND_SERVICE"], SeccompProgram = SeccompProgram.From(compiled, Native) };

        var back = RunSpecCodec.Deserialize(RunSpecCodec.Serialize(spec));

        Assert.Equal(compiled, back.SeccompProgram!.For(Native));
        Assert.Equal(compiled, SeccompFilter.For(back));
    }

    [Fact]
    public void The_command_stage_installs_the_carried_program_without_compiling()
    {
        SockFilter[] marker = [new(SockFilter.RetK, 0, 0, 0x7fff0000)];
        var spec = Specs.Spec(Specs.Single()) with { SeccompProgram = SeccompProgram.From(marker, Native) };

        Assert.Equal(marker, SeccompFilter.For(spec));
    }

    [Fact]
    public void A_program_for_another_architecture_is_compiled_again()
    {
        var other = Native == SeccompArch.X86_64 ? SeccompArch.Aarch64 : SeccompArch.X86_64;
        SockFilter[] marker = [new(SockFilter.RetK, 0, 0, 0x7fff0000)];
        var spec = Specs.Spec(Specs.Single()) with { SeccompProgram = SeccompProgram.From(marker, other) };

        Assert.Equal(SeccompFilter.Prepare(SeccompSpec.Default, []), SeccompFilter.For(spec));
    }

    [Fact]
    public void A_program_resolved_on_another_kernel_is_compiled_again()
    {
        SockFilter[] marker = [new(SockFilter.RetK, 0, 0, 0x7fff0000)];
        var spec = Specs.Spec(Specs.Single()) with { SeccompProgram = SeccompProgram.From(marker, Native) with { Kernel = "2.6.32" } };

        Assert.Equal(SeccompFilter.Prepare(SeccompSpec.Default, []), SeccompFilter.For(spec));
    }

    [Fact]
    public void A_truncated_program_is_never_installed()
    {
        var spec = Specs.Spec(Specs.Single()) with { SeccompProgram = new SeccompProgram(SeccompArchitectures.AuditArch(Native), SeccompProgram.RunningKernel, [1, 2, 3]) };

        Assert.Equal(SeccompFilter.Prepare(SeccompSpec.Default, []), SeccompFilter.For(spec));
    }

    [Fact]
    public void Unconfined_installs_nothing_even_with_a_program()
    {
        SockFilter[] marker = [new(SockFilter.RetK, 0, 0, 0x7fff0000)];
        var spec = Specs.Spec(Specs.Single()) with { Seccomp = SeccompSpec.Unconfined, SeccompProgram = SeccompProgram.From(marker, Native) };

        Assert.Null(SeccompFilter.For(spec));
    }
}
