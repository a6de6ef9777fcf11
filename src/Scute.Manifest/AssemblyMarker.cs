namespace Scute.Manifest;
internal static class AssemblyMarker;
