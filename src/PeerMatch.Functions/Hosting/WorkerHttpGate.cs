using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// Under the Functions host: puts each HTTP function through the <see cref="HttpGate"/>, as the
/// standalone routes do. Timer and queue functions pass straight through.
/// </summary>
public sealed class WorkerHttpGate(HttpGate gate, FunctionCatalog catalog) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var answer = await gate.RunAsync(http, catalog.Get(context.FunctionDefinition.Name), async () =>
        {
            await next(context);
            return context.GetInvocationResult().Value as IResult;
        });
        // The ASP.NET Core integration writes whatever result the invocation ends with.
        context.GetInvocationResult().Value = answer;
    }
}
