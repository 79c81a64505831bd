using System.Collections;
using System.Management.Automation;
using System.Reflection;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// Compares a live object with what PSSerializer (remoting, Receive-Job from a remote job) gives back for it. It
/// reflects over the live type's public properties, so a property added later is covered without touching a test.
/// What "survives" means, per kind of value:
/// - a type the serializer knows (string, numbers, bool, DateTime, TimeSpan, Guid, Uri, Version, byte[]) comes back
///   as itself, equal;
/// - an enum comes back as its number (or, past the depth, its name) and converts back to the same value;
/// - a DateTimeOffset comes back as an object whose UtcDateTime and Offset are the live ones (not as a string cut to
///   the second in the remote culture's format, which is what the default depth gives);
/// - a dictionary comes back as a hashtable, a list as a list, each entry compared by these rules;
/// - any other object comes back as an object named Deserialized.&lt;type&gt; (not as its ToString), carrying
///   each of its properties of the kinds above with the live value.
/// </summary>
public static class RoundTripAssert
{
    private static readonly Type[] KnownTypes =
    {
        typeof(string), typeof(char), typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort),
        typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal),
        typeof(DateTime), typeof(TimeSpan), typeof(Guid), typeof(Uri), typeof(Version),
    };

    /// <summary>Every public property of <paramref name="live"/> is on <paramref name="copy"/> with a value that survived.</summary>
    /// <param name="volatileNested">Properties of nested objects (a live job's HasMoreData) that may change after serializing.</param>
    public static void Survives(object live, PSObject copy, params string[] volatileNested)
    {
        Type type = live.GetType();
        Assert.Equal("Deserialized." + type.FullName, copy.TypeNames[0]);
        PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.NotEmpty(properties);
        foreach (PropertyInfo property in properties)
        {
            PSPropertyInfo? copied = copy.Properties[property.Name];
            Assert.True(copied != null, $"{type.Name}.{property.Name} is missing after the round trip.");
            Value(property.GetValue(live), copied.Value, $"{type.Name}.{property.Name}", nested: false, volatileNested);
        }
    }

    private static void Value(object? live, object? copy, string path, bool nested, string[] volatileNested)
    {
        object? bare = copy is PSObject wrapped ? wrapped.BaseObject : copy;
        if (live == null)
        {
            Assert.True(bare == null, $"{path}: null came back as '{bare}'.");
            return;
        }

        Assert.True(bare != null, $"{path}: '{live}' came back as null.");
        Type type = live.GetType();
        if (live is byte[] bytes)
        {
            Assert.True(bare is byte[] copiedBytes && bytes.AsSpan().SequenceEqual(copiedBytes), $"{path}: the bytes differ ({bare!.GetType()}).");
        }
        else if (Array.IndexOf(KnownTypes, type) >= 0)
        {
            Assert.True(type == bare!.GetType(), $"{path}: a {type} came back as a {bare.GetType()} '{bare}'.");
            Assert.Equal(live, bare);
        }
        else if (type.IsEnum)
        {
            object back = bare is string name ? Enum.Parse(type, name) : Enum.ToObject(type, bare!);
            Assert.True(live.Equals(back), $"{path}: {live} came back as {bare}.");
        }
        else if (live is DateTimeOffset moment)
        {
            PSObject bag = Assert.IsType<PSObject>(copy);
            Assert.True(bag.TypeNames[0] == "Deserialized.System.DateTimeOffset", $"{path}: a DateTimeOffset came back as a {bare!.GetType()} '{bare}'.");
            Assert.Equal(moment.UtcDateTime, bag.Properties["UtcDateTime"]?.Value);
            Assert.Equal(moment.Offset, bag.Properties["Offset"]?.Value);
        }
        else if (live is IDictionary dictionary)
        {
            IDictionary table = Assert.IsAssignableFrom<IDictionary>(bare);
            Assert.Equal(dictionary.Count, table.Count);
            foreach (DictionaryEntry entry in dictionary)
            {
                Assert.True(table.Contains(entry.Key), $"{path}: the key '{entry.Key}' is missing.");
                Value(entry.Value, table[entry.Key], $"{path}[{entry.Key}]", nested, volatileNested);
            }
        }
        else if (live is IEnumerable sequence and not string)
        {
            var items = sequence.Cast<object?>().ToList();
            IList list = Assert.IsAssignableFrom<IList>(bare);
            Assert.Equal(items.Count, list.Count);
            for (int i = 0; i < items.Count; i++)
            {
                Value(items[i], list[i], $"{path}[{i}]", nested, volatileNested);
            }
        }
        else if (type == bare!.GetType())
        {
            // A type PowerShell rebuilds on its own (a job's JobStateInfo): the same type, the same text.
            Assert.Equal(live.ToString(), bare.ToString());
        }
        else
        {
            PSObject bag = Assert.IsType<PSObject>(copy);
            Assert.True(bag.TypeNames.Contains("Deserialized." + type.FullName), $"{path}: a {type} came back as '{bare}' ({string.Join(", ", bag.TypeNames)}).");
            if (!nested)
            {
                NestedProperties(live, bag, path, volatileNested);
            }
        }
    }

    /// <summary>One level down: the properties of types the serializer knows must still be there, with their values.</summary>
    private static void NestedProperties(object live, PSObject bag, string path, string[] volatileNested)
    {
        foreach (PropertyInfo property in live.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            bool known = Array.IndexOf(KnownTypes, type) >= 0 || type.IsEnum || type == typeof(DateTimeOffset);
            if (!known || property.GetIndexParameters().Length > 0 || volatileNested.Contains(property.Name))
            {
                continue;
            }

            PSPropertyInfo? copied = bag.Properties[property.Name];
            Assert.True(copied != null, $"{path}.{property.Name} is missing after the round trip (the serializer's depth ran out).");
            Value(property.GetValue(live), copied.Value, $"{path}.{property.Name}", nested: true, volatileNested);
        }
    }
}
