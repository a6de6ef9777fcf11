namespace Scute.Images;
internal static class AssemblyMarker;
