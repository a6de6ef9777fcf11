namespace Scute.Engine;
internal static class AssemblyMarker;
