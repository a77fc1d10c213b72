using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Council.Tasks;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Council;

/// <summary>The tasks (roles) council reviews gave on a case.</summary>
public sealed class TaskFunctions(HttpEndpoint endpoint, TaskService tasks)
{
    [Function("ListCaseTasks")]
    [ApiOperation("The tasks council reviews gave on the case, by due date, with whether each is overdue or done.", Tag = "council", Access = "whoever may read the case")]
    [ApiResponse(200, typeof(TaskList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/tasks")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseTaskList, caseId, async (context, caller) =>
            CaseResults.From(await tasks.ListAsync(caller, caseId, cancellationToken), context, list => ApiResult.Ok(list)));

    [Function("CompleteCaseTask")]
    [ApiOperation("Mark a task done: its owner (the person, or a named member of the owning agency) or a coordinator. Done already: answered with it unchanged.", Tag = "council", Access = "the task's owner, or a coordinator")]
    [ApiResponse(200, typeof(TaskView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "resource.conflict")]
    public Task<IActionResult> Done(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/tasks/{taskId}/done")] HttpRequest request,
        string caseId,
        string taskId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseTaskDone, caseId, async (context, caller) =>
            CaseResults.From(await tasks.DoneAsync(caller, caseId, taskId, cancellationToken), context, view => ApiResult.Ok(view)));
}
