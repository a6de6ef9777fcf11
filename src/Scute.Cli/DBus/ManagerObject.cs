using System.Globalization;
using System.Security;
using System.Text;
using Tmds.DBus.Protocol;

namespace Scute.Cli.DBus;

/// <summary>
/// One exported object: checks each call's signature, answers introspection and the read-only
/// properties ApiVersion and StoreRoot, and runs the method on the thread pool, so a build never
/// holds up a list.
/// </summary>
public abstract class ManagerObject : IPathMethodHandler
{
    private const string PropertiesInterface = "org.freedesktop.DBus.Properties";
    private readonly Dictionary<string, BusMethod> methods;
    private readonly ReadOnlyMemory<byte> introspection;

    protected ManagerObject(ServiceState state, string path, string @interface, IEnumerable<BusMethod> methods, IReadOnlyList<(string Name, string Args)> signals)
    {
        ArgumentNullException.ThrowIfNull(methods);
        State = state;
        Path = path;
        Interface = @interface;
        this.methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);
        introspection = Encoding.UTF8.GetBytes(Introspection(signals));
    }

    public string Path { get; }

    public string Interface { get; }

    public bool HandlesChildPaths => false;

    protected ServiceState State { get; }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (context.IsDBusIntrospectRequest)
        {
            context.ReplyIntrospectXml([introspection], Array.Empty<string>());
            return default;
        }

        var member = request.MemberAsString ?? string.Empty;
        var signature = request.SignatureAsString ?? string.Empty;
        if (request.InterfaceAsString == PropertiesInterface)
        {
            Properties(context, member, signature);
            return default;
        }

        if ((request.InterfaceAsString is { } asked && asked != Interface) || !methods.TryGetValue(member, out var method))
        {
            context.ReplyUnknownMethodError();
            return default;
        }

        if (signature != method.In)
        {
            context.ReplyError(BusError.InvalidArgs, $"{member} takes ({method.In}), not ({signature})");
            return default;
        }

        var args = method.ReadArguments(request);
        context.DisposesAsynchronously = true;
        State.Begin();
        _ = Task.Run(() =>
        {
            try
            {
                var reply = method.Run(args);
                var writer = context.CreateReplyWriter(reply.Signature);
                try
                {
                    reply.Write(ref writer);
                    context.Reply(writer.CreateMessage());
                }
                finally
                {
                    writer.Dispose();
                }
            }
            catch (BusError e)
            {
                context.ReplyError(e.Name, e.Message);
            }
            catch (Exception e)
            {
                context.ReplyError(BusError.Failed, Failure(e));
            }
            finally
            {
                context.Dispose();
                State.End();
            }
        });
        return default;
    }

    /// <summary>An exception from the engine, as the one line the CLI prints (without "scute: ").</summary>
    protected abstract string Failure(Exception e);

    private void Properties(MethodContext context, string member, string signature)
    {
        if ((member, signature) is ("Get", "ss") or ("GetAll", "s"))
        {
            var reader = context.Request.GetBodyReader();
            var iface = reader.ReadString();
            var name = member == "Get" ? reader.ReadString() : null;
            if (iface != Interface || (name is not null && name is not "ApiVersion" and not "StoreRoot"))
            {
                context.ReplyError("org.freedesktop.DBus.Error.UnknownProperty", $"{iface} has no property {name}");
                return;
            }

            using var writer = context.CreateReplyWriter(name is null ? "a{sv}" : "v");
            if (name is null)
            {
                var dict = writer.WriteDictionaryStart();
                writer.WriteDictionaryEntryStart();
                writer.WriteString("ApiVersion");
                writer.WriteVariantUInt32(1);
                writer.WriteDictionaryEntryStart();
                writer.WriteString("StoreRoot");
                writer.WriteVariantString(State.StoreRoot);
                writer.WriteDictionaryEnd(dict);
            }
            else if (name == "ApiVersion")
            {
                writer.WriteVariantUInt32(1);
            }
            else
            {
                writer.WriteVariantString(State.StoreRoot);
            }

            context.Reply(writer.CreateMessage());
            return;
        }

        context.ReplyError(
            member == "Set" ? "org.freedesktop.DBus.Error.PropertyReadOnly" : BusError.InvalidArgs,
            member == "Set" ? "ApiVersion and StoreRoot are read-only" : $"{member}({signature}) is not a Properties method");
    }

    private string Introspection(IReadOnlyList<(string Name, string Args)> signals)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<interface name=\"{Interface}\">\n");
        foreach (var m in methods.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            s.Append(CultureInfo.InvariantCulture, $"  <method name=\"{m.Name}\">\n");
            var types = Types(m.In);
            for (var i = 0; i < types.Count; i++)
            {
                s.Append(CultureInfo.InvariantCulture, $"    <arg name=\"{SecurityElement.Escape(m.ArgNames[i])}\" type=\"{types[i]}\" direction=\"in\"/>\n");
            }

            var outs = Types(m.Out);
            for (var i = 0; i < outs.Count; i++)
            {
                s.Append(CultureInfo.InvariantCulture, $"    <arg name=\"{m.OutNames[i]}\" type=\"{outs[i]}\" direction=\"out\"/>\n");
            }

            s.Append("  </method>\n");
        }

        foreach (var (name, args) in signals)
        {
            s.Append(CultureInfo.InvariantCulture, $"  <signal name=\"{name}\">\n");
            foreach (var arg in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                s.Append(CultureInfo.InvariantCulture, $"    <arg name=\"{arg}\" type=\"s\"/>\n");
            }

            s.Append("  </signal>\n");
        }

        // Both are fixed for the life of the service: no PropertiesChanged is ever sent.
        s.Append("  <property name=\"ApiVersion\" type=\"u\" access=\"read\"><annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"const\"/></property>\n");
        s.Append("  <property name=\"StoreRoot\" type=\"s\" access=\"read\"><annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"const\"/></property>\n");
        s.Append("</interface>\n");
        s.Append("<interface name=\"org.freedesktop.DBus.Properties\">\n");
        s.Append("  <method name=\"Get\"><arg name=\"interface_name\" type=\"s\" direction=\"in\"/><arg name=\"property_name\" type=\"s\" direction=\"in\"/><arg name=\"value\" type=\"v\" direction=\"out\"/></method>\n");
        s.Append("  <method name=\"GetAll\"><arg name=\"interface_name\" type=\"s\" direction=\"in\"/><arg name=\"props\" type=\"a{sv}\" direction=\"out\"/></method>\n");
        s.Append("</interface>\n");
        return s.ToString();
    }

    private static List<string> Types(string signature)
    {
        var types = new List<string>();
        for (var i = 0; i < signature.Length; i++)
        {
            types.Add(signature[i] == 'a' ? signature.Substring(i++, 2) : signature[i].ToString());
        }

        return types;
    }
}
