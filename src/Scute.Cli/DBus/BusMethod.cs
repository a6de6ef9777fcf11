using Tmds.DBus.Protocol;

namespace Scute.Cli.DBus;

/// <summary>What a method returns: one string (JSON, or an id), or exec's status and output.</summary>
public abstract record BusReply
{
    public abstract string Signature { get; }

    public abstract void Write(ref MessageWriter writer);
}

public sealed record StringReply(string Value) : BusReply
{
    public override string Signature => "s";

    public override void Write(ref MessageWriter writer)
    {
        writer.WriteString(Value);
    }
}

public sealed record ExecReply(int Status, string Stdout, string Stderr) : BusReply
{
    public override string Signature => "iss";

    public override void Write(ref MessageWriter writer)
    {
        writer.WriteInt32(Status);
        writer.WriteString(Stdout);
        writer.WriteString(Stderr);
    }
}

/// <summary>
/// One method: its argument signature (only s, b and as occur), the names of its arguments (for
/// introspection) and its work, which runs off the connection's reader so other calls go on.
/// </summary>
public sealed record BusMethod(string Name, string In, IReadOnlyList<string> ArgNames, string Out, IReadOnlyList<string> OutNames, Func<object[], BusReply> Run)
{
    public static BusMethod Json(string name, string @in, IReadOnlyList<string> argNames, Func<object[], string> run) =>
        new(name, @in, argNames, "s", ["json"], a => new StringReply(run(a)));

    /// <summary>Reads the arguments; the caller has checked the message's signature is <see cref="In"/>.</summary>
    public object[] ReadArguments(Message request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = request.GetBodyReader();
        var args = new List<object>();
        for (var i = 0; i < In.Length; i++)
        {
            switch (In[i])
            {
                case 's':
                    args.Add(reader.ReadString());
                    break;
                case 'b':
                    args.Add(reader.ReadBool());
                    break;
                case 'a' when i + 1 < In.Length && In[i + 1] == 's':
                    args.Add(reader.ReadArrayOfString());
                    i++;
                    break;
                default:
                    throw new InvalidOperationException($"signature {In} is not supported");
            }
        }

        return [.. args];
    }
}
