using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Administration;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Partners;

namespace Serverless.Functions.Transfers;

/// <summary>Partner councils for transfers (移管) and this council's own transfer identity: the admin API's gate applies.</summary>
public sealed class TransferPartnerFunctions(HttpEndpoint endpoint, TransferPartnerService partners)
{
    [Function("ListTransferPartners")]
    [ApiOperation("The partner councils this one exchanges cases with: municipality code, name, intake endpoint, both public keys with their SHA-256 fingerprints, and whether a coordinator confirmed them (who, when). Nothing is sent to or accepted from a partner that is not confirmed.", Tag = "transfers", Access = "admin, coordinator")]
    [ApiResponse(200, typeof(TransferPartnerList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/transfer-partners")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferPartnerRead, null, async (context, caller) =>
            AdminResults.From(await partners.ListAsync(caller, cancellationToken), context, list => new TransferPartnerList(list)));

    [Function("SaveTransferPartner")]
    [ApiOperation("Register a partner council (201) or change it: display name, intake endpoint (https), the RSA public key (≥ 3072 bits, PEM) packages for it are encrypted to, and the P-256 public key (PEM) its signatures are checked with. A change of either key or of the endpoint un-confirms the partner until a coordinator confirms it again. Admins only: a coordinator gets 403.", Tag = "transfers", Access = "admin", RequestBody = typeof(SaveTransferPartnerRequest))]
    [ApiResponse(200, typeof(TransferPartner))]
    [ApiResponse(201, typeof(TransferPartner))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict")]
    public Task<IActionResult> Save(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/transfer-partners/{municipalityCode}")] HttpRequest request,
        string municipalityCode,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.TransferPartnerSave, Target(municipalityCode), (context, caller) =>
            AdminResults.WithBodyAsync<SaveTransferPartnerRequest, TransferPartner>(request, context, body => partners.SaveAsync(caller, municipalityCode, body, cancellationToken)));

    [Function("ConfirmTransferPartner")]
    [ApiOperation("A coordinator confirms a partner after checking its key fingerprints by phone with the other council: both fingerprints as read out (hex, with or without colons, any case) and the version checked. A fingerprint that does not match is 400 with field code fingerprint-mismatch; a version changed meanwhile is 409. An admin may not confirm (403 admin.coordinator-act).", Tag = "transfers", Access = "coordinator", RequestBody = typeof(ConfirmTransferPartnerRequest))]
    [ApiResponse(200, typeof(TransferPartner))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.coordinator-act", "admin.network-not-allowed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict", "resource.not-found")]
    public Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/transfer-partners/{municipalityCode}/confirmation")] HttpRequest request,
        string municipalityCode,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.TransferPartnerConfirm, Target(municipalityCode), (context, caller) =>
            AdminResults.WithBodyAsync<ConfirmTransferPartnerRequest, TransferPartner>(request, context, body => partners.ConfirmAsync(caller, municipalityCode, body, cancellationToken)));

    [Function("GetTransferIdentity")]
    [ApiOperation("This council's own transfer identity, for a partner to register it: its municipality code and the public halves of its encryption and signing keys (PEM) with their SHA-256 fingerprints to read out on the phone. Null where not configured.", Tag = "transfers", Access = "admin, coordinator")]
    [ApiResponse(200, typeof(TransferIdentity))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed")]
    public Task<IActionResult> Identity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/transfer-identity")] HttpRequest request)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferIdentityRead, null, async (context, caller) =>
            AdminResults.From(await partners.IdentityAsync(caller, request.HttpContext.RequestAborted), context));

    /// <summary>The municipality code as the audit target when it has the shape of one (the filter drops anything else).</summary>
    private static AuditTarget Target(string municipalityCode) => new(MunicipalityCode: municipalityCode);
}

/// <summary>The partner councils, by municipality code.</summary>
public sealed record TransferPartnerList(IReadOnlyList<TransferPartner> Partners);
