using Scriban.Runtime;

namespace Micromastery.Hub.Templates;

/// <summary>Builds template models from plain values only: strings, numbers, booleans, null, objects and arrays.</summary>
internal static class ScriptModel
{
    public static ScriptObject Object(params (string Name, object? Value)[] members)
    {
        var result = new ScriptObject();
        foreach (var (name, value) in members)
        {
            result.Add(name, Check(value));
        }

        return result;
    }

    public static ScriptArray Array<T>(IEnumerable<T> items, Func<T, ScriptObject> map)
    {
        var result = new ScriptArray();
        foreach (var item in items)
        {
            result.Add(map(item));
        }

        return result;
    }

    public static ScriptArray Strings(IEnumerable<string> items)
    {
        var result = new ScriptArray();
        foreach (var item in items)
        {
            result.Add(item);
        }

        return result;
    }

    /// <summary>Marks the whole model read-only (a fresh model is built for every rendering anyway).</summary>
    public static void Freeze(object? value)
    {
        switch (value)
        {
            case ScriptObject obj when !obj.IsReadOnly:
                foreach (var child in obj.Values)
                {
                    Freeze(child);
                }

                obj.IsReadOnly = true;
                break;
            case ScriptArray array when !array.IsReadOnly:
                foreach (var child in array)
                {
                    Freeze(child);
                }

                array.IsReadOnly = true;
                break;
        }
    }

    // Guards the sandbox: a .NET object in the model would hand its members to the template.
    private static object? Check(object? value) => value switch
    {
        null or string or bool or int or long or double or decimal or ScriptObject or ScriptArray => value,
        _ => throw new ArgumentException($"template models hold plain values only, not {value.GetType().Name}"),
    };
}
