using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// Keeps the fast loop honest: every test class that starts a hub, PostgreSQL or a browser carries its
/// <see cref="Needs"/> mark, and no class carries a mark it does not need. What a class starts is read from its
/// fixtures (constructor parameters, class and collection fixtures: their <see cref="StartsAttribute"/>, or their
/// code) and from its own code, by following the calls its methods make inside this assembly.
/// </summary>
public sealed class TestCategoryGuardTests(ITestOutputHelper output)
{
    private static readonly Assembly Tests = typeof(TestCategoryGuardTests).Assembly;

    [Fact]
    public void EveryTestClass_CarriesTheMarkOfWhatItStarts()
    {
        var problems = new List<string>();
        foreach (var type in TestClasses())
        {
            var found = WhatItStarts(type);
            var mark = MarkOf(type);
            output.WriteLine($"{type.FullName}: mark {mark ?? "-"}, starts {found}");
            problems.AddRange(Problems(type, mark, found));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheGuard_SeesAHubStartedInsideATest_AndAFixturesDeclaration()
    {
        Assert.Equal(Needs.Host, WhatItStarts(typeof(GuardSamples.StartsAHubInside)).Code);
        Assert.Equal(Needs.Postgres, WhatItStarts(typeof(GuardSamples.OnAPostgresHub)).Fixtures);
        Assert.Equal(Needs.Browser, WhatItStarts(typeof(Ui.HostileLinkBrowserTests)).Fixtures);
        Assert.Null(WhatItStarts(typeof(TestCategoryGuardTests)).Code);
        Assert.NotEmpty(Problems(typeof(GuardSamples.StartsAHubInside), mark: null, WhatItStarts(typeof(GuardSamples.StartsAHubInside))));
    }

    /// <summary>What a class starts: through its fixtures (exact, as declared) and through its own code (at least).</summary>
    public sealed record Started(string? Fixtures, string? Code, string Why)
    {
        public override string ToString() => Fixtures is null && Code is null ? "nothing" : $"{Fixtures ?? Code} ({Why})";
    }

    public static IEnumerable<Type> TestClasses() => Tests.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } or { IsClass: true, IsAbstract: false, IsNestedPublic: true })
        .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>The class's Category trait, on it or a base class.</summary>
    public static string? MarkOf(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var trait = t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == Needs.Key);
            if (trait is not null)
            {
                return (string?)trait.ConstructorArguments[1].Value;
            }
        }

        return null;
    }

    public static Started WhatItStarts(Type type)
    {
        string? fixtures = null, code = null;
        var why = new List<string>();
        foreach (var fixture in Fixtures(type))
        {
            var need = Declared(fixture) ?? new CodeScan().Need(fixture, out _);
            if (!string.IsNullOrEmpty(need))
            {
                fixtures = Stronger(fixtures, need);
                why.Add("fixture " + fixture.Name);
            }
        }

        var scan = new CodeScan();
        for (var t = type; t is not null && t.Assembly == Tests; t = t.BaseType)
        {
            var need = scan.Need(t, out var reason);
            if (need is not null)
            {
                code = Stronger(code, need);
                why.Add(reason!);
            }
        }

        return new Started(fixtures, code, string.Join(", ", why.Distinct()));
    }

    private static IEnumerable<string> Problems(Type type, string? mark, Started found)
    {
        if (type.GetMethods().Any(m => m.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == Needs.Key)))
        {
            yield return $"{type.FullName}: a test method carries a {Needs.Key} trait; mark the class, once";
        }

        var needed = found.Fixtures ?? found.Code;
        if (needed is null)
        {
            if (mark is not null)
            {
                yield return $"{type.FullName}: marked {mark} but starts no hub, PostgreSQL or browser: remove the mark";
            }

            yield break;
        }

        // A hub started from code may be on SQLite or PostgreSQL (the provider is often a parameter): either mark holds.
        string[] allowed = found.Fixtures == Needs.Browser || found.Code == Needs.Browser ? [Needs.Browser]
            : found.Fixtures == Needs.Postgres ? [Needs.Postgres]
            : [Needs.Host, Needs.Postgres];
        if (mark is null || !allowed.Contains(mark))
        {
            yield return $"{type.FullName}: starts {found} but is marked {mark ?? "nothing"}: add [Trait(Needs.Key, Needs.{allowed[0]})]";
        }
    }

    private static string Stronger(string? a, string b) => Rank(b) > Rank(a) ? b : a!;

    private static int Rank(string? need) => need switch { Needs.Browser => 3, Needs.Postgres => 2, Needs.Host => 1, _ => 0 };

    private static string? Declared(Type type) => type.GetCustomAttribute<StartsAttribute>(inherit: true)?.Need;

    /// <summary>Constructor parameters, class fixtures and the fixtures of the class's collection.</summary>
    private static IEnumerable<Type> Fixtures(Type type)
    {
        foreach (var parameter in type.GetConstructors().SelectMany(c => c.GetParameters()))
        {
            if (parameter.ParameterType != typeof(ITestOutputHelper))
            {
                yield return parameter.ParameterType;
            }
        }

        foreach (var fixture in FixtureArguments(type, typeof(IClassFixture<>)))
        {
            yield return fixture;
        }

        var collection = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CollectionAttribute))?.ConstructorArguments[0].Value as string;
        if (collection is null)
        {
            yield break;
        }

        var definition = Tests.GetTypes().SingleOrDefault(t => t.GetCustomAttributesData()
            .Any(a => a.AttributeType == typeof(CollectionDefinitionAttribute) && (string?)a.ConstructorArguments[0].Value == collection));
        foreach (var fixture in definition is null ? [] : FixtureArguments(definition, typeof(ICollectionFixture<>)))
        {
            yield return fixture;
        }
    }

    private static IEnumerable<Type> FixtureArguments(Type type, Type fixtureInterface) => type.GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == fixtureInterface)
        .Select(i => i.GetGenericArguments()[0]);

    /// <summary>
    /// Follows the IL of a type's methods (and of the methods they call, their lambdas and async state machines) inside
    /// this assembly, stopping at a type that declares what it starts, at a hub or host being built or started, at
    /// Playwright, and at a process being started (the hub's own executable).
    /// </summary>
    private sealed class CodeScan
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

        private readonly HashSet<MethodBase> _seen = [];
        private string? _need;
        private string? _why;

        public string? Need(Type type, out string? why)
        {
            foreach (var method in MethodsOf(type))
            {
                Visit(method);
            }

            why = _why;
            return _need;
        }

        private static IEnumerable<MethodBase> MethodsOf(Type type)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all))
                .Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(MethodsOf));
        }

        private void Visit(MethodBase root)
        {
            var pending = new Stack<MethodBase>([root]);
            while (pending.TryPop(out var method))
            {
                if (!_seen.Add(method))
                {
                    continue;
                }

                if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
                {
                    foreach (var step in MethodsOf(machine.StateMachineType))
                    {
                        pending.Push(step);
                    }
                }

                foreach (var member in Referenced(method))
                {
                    var need = RootNeed(member);
                    if (need is not null)
                    {
                        if (need.Length > 0 && Rank(need) > Rank(_need))
                        {
                            _need = need;
                            _why = $"{member.DeclaringType?.Name ?? member.Name}.{member.Name} from {method.DeclaringType?.Name}.{method.Name}";
                        }

                        continue;
                    }

                    if (member is MethodBase called && called.Module == Tests.ManifestModule)
                    {
                        pending.Push(called);
                    }
                }
            }
        }

        /// <summary>"" for a type that declares it starts nothing of note; null to look further.</summary>
        private static string? RootNeed(MemberInfo member)
        {
            var type = member as Type ?? member.DeclaringType;
            if (type is null)
            {
                return null;
            }

            if (type.Assembly == Tests)
            {
                // A declared fixture starts what it declares when it is built (also by a static factory) or used; its other
                // static helpers (settings, table cleaning) are followed like any code. A declared static class is all start.
                var isStatic = member is MethodBase { IsStatic: true } or FieldInfo { IsStatic: true } && !(type.IsAbstract && type.IsSealed) && !Builds(member, type);
                // Lambdas and state machines are followed as the code they are.
                var generated = type.IsDefined(typeof(CompilerGeneratedAttribute));
                for (var t = type; t is not null && !isStatic && !generated; t = t.DeclaringType)
                {
                    if (Declared(t) is { } declared)
                    {
                        return declared;
                    }
                }

                return null;
            }

            if (type.Namespace?.StartsWith("Microsoft.Playwright", StringComparison.Ordinal) == true)
            {
                return Needs.Browser;
            }

            var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            if (definition == typeof(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<>) || definition == typeof(Microsoft.AspNetCore.TestHost.TestServer) && member is ConstructorInfo)
            {
                return Needs.Host;
            }

            if (type == typeof(System.Diagnostics.Process) && member.Name == nameof(System.Diagnostics.Process.Start))
            {
                return Needs.Host;
            }

            // Building a host's services is not starting it; starting or running it is.
            var starts = member.Name is "Start" or "StartAsync" or "Run" or "RunAsync";
            return starts && (typeof(Microsoft.Extensions.Hosting.IHost).IsAssignableFrom(type)
                || type == typeof(Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions)) ? Needs.Host : null;
        }

        private static bool Builds(MemberInfo member, Type type) => member is MethodInfo method
            && (method.ReturnType == type || method.ReturnType.IsGenericType && method.ReturnType.GetGenericArguments()[0] == type);

        private static IEnumerable<MemberInfo> Referenced(MethodBase method)
        {
            byte[]? il;
            try
            {
                il = method.GetMethodBody()?.GetILAsByteArray();
            }
            catch (InvalidOperationException)
            {
                il = null;
            }

            if (il is null)
            {
                yield break;
            }

            var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
            var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
            for (var at = 0; at < il.Length;)
            {
                var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
                at += il[at] == 0xFE ? 2 : 1;
                var opCode = OpCodesByValue[value];
                switch (opCode.OperandType)
                {
                    // Calls, constructions and field reads; a typeof() names a type without starting anything.
                    case OperandType.InlineMethod or OperandType.InlineField:
                        var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                        if (member is not null)
                        {
                            yield return member;
                        }

                        at += 4;
                        break;
                    case OperandType.InlineSwitch:
                        at += 4 + (4 * BitConverter.ToInt32(il, at));
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        at += 1;
                        break;
                    case OperandType.InlineVar:
                        at += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        at += 8;
                        break;
                    default:
                        at += 4;
                        break;
                }
            }
        }

        private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
        {
            try
            {
                return module.ResolveMember(token, typeArguments, methodArguments);
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
            {
                return null;
            }
        }
    }
}

/// <summary>Shapes the guard must recognise; not tests (no [Fact]), so no run picks them up.</summary>
internal static class GuardSamples
{
    public sealed class StartsAHubInside
    {
        public static async Task StartsAsync()
        {
            await using var hub = await DedicatedHub.CreateAsync(Hub.Infrastructure.StorageProvider.Sqlite);
            _ = hub.Start().Server;
        }
    }

    public sealed class OnAPostgresHub(PostgresHub hub)
    {
        public HubFixture Hub => hub;
    }
}
