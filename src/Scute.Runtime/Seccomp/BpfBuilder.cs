namespace Scute.Runtime.Seccomp;

/// <summary>Emits BPF with symbolic forward jumps, resolved (and range-checked) in <see cref="Build"/>.</summary>
internal sealed class BpfBuilder
{
    /// <summary>The jump target "the next instruction" (offset 0).</summary>
    public const int Next = -1;

    private readonly List<(ushort Code, int Jt, int Jf, uint K, int Target)> _code = [];
    private readonly List<int> _labels = [];

    public int Count => _code.Count;

    public int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    public void Mark(int label) => _labels[label] = _code.Count;

    public void Load(uint offset) => _code.Add((SockFilter.LdWAbs, Next, Next, offset, Next));

    public void And(uint mask) => _code.Add((SockFilter.AluAndK, Next, Next, mask, Next));

    public void Return(uint value) => _code.Add((SockFilter.RetK, Next, Next, value, Next));

    public void Jump(ushort code, uint k, int whenTrue, int whenFalse) => _code.Add((code, whenTrue, whenFalse, k, Next));

    public void JumpAlways(int label) => _code.Add((SockFilter.Ja, Next, Next, 0, label));

    public SockFilter[] Build()
    {
        var program = new SockFilter[_code.Count];
        for (var i = 0; i < _code.Count; i++)
        {
            var (code, jt, jf, k, target) = _code[i];
            if (code == SockFilter.Ja)
            {
                k = (uint)Offset(i, target, int.MaxValue);
            }

            program[i] = new SockFilter(code, (byte)Offset(i, jt, byte.MaxValue), (byte)Offset(i, jf, byte.MaxValue), k);
        }

        return program;
    }

    private int Offset(int at, int label, int max)
    {
        if (label == Next)
        {
            return 0;
        }

        var offset = _labels[label] - at - 1;
        return _labels[label] < 0 || offset < 0 || offset > max
            ? throw new InvalidOperationException($"BPF jump from {at} to label {label} out of range")
            : offset;
    }
}
