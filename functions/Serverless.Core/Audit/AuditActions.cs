namespace Serverless.Audit;

/// <summary>The stable action names audit entries carry. Clients and the verifier rely on them: add, never rename.</summary>
public static class AuditActions
{
    public const string CaseCreate = "case.create";
    public const string CaseRead = "case.read";
    public const string CaseUpdate = "case.update";
    public const string CaseList = "case.list";
    public const string CaseSearch = "case.search";
    public const string CaseHistory = "case.history";
    /// <summary>A page of the review ledger (進行管理台帳): the cases listed are recorded as touched.</summary>
    public const string LedgerRead = "ledger.read";
    /// <summary>A numbered copy of the review ledger exported for a meeting (xlsx or CSV): the meeting and the copy number are
    /// the entry's target, every case in it touched.</summary>
    public const string LedgerExport = "ledger.export";
    public const string MeetingCreate = "meeting.create";
    public const string MeetingRead = "meeting.read";
    /// <summary>A council meeting's review of one case: a new version of the case, its timeline entry and its tasks.</summary>
    public const string CaseReview = "case.review.add";
    public const string CaseTaskList = "case.task.list";
    public const string CaseTaskDone = "case.task.done";
    public const string ReportSubmit = "case.report.submit";
    public const string ReportRead = "case.report.read";
    public const string ReportCorrect = "case.report.correct";
    public const string CommentAdd = "case.comment.add";
    public const string TimelineRead = "case.timeline.read";
    public const string ReferralSubmit = "referral.submit";
    public const string ReferralList = "referral.list";
    public const string ReferralRead = "referral.read";
    public const string ReferralConfirm = "referral.safety-confirmation.add";
    public const string ReferralDecide = "referral.decide";
    public const string ReferralAccept = "referral.centre-acceptance.add";
    public const string ReferralDisposalPropose = "referral.disposal.propose";
    public const string ReferralDisposalApprove = "referral.disposal.approve";
    public const string ReferralDisposalWithdraw = "referral.disposal.withdraw";
    public const string ReferralCounts = "referral.counts.read";
    /// <summary>The council's counts read as JSON.</summary>
    public const string StatsRead = "stats.read";
    /// <summary>The council's counts taken away as an xlsx or CSV file: the entry says who took it, when and from where.</summary>
    public const string StatsExport = "stats.export";
    public const string AttendanceStaffName = "attendance.list.staff.name";
    public const string AttendanceStaffRead = "attendance.list.staff.read";
    public const string AttendanceListAdd = "attendance.list.add";
    public const string AttendanceListRead = "attendance.list.read";
    public const string AttendanceCalendarSet = "attendance.calendar.set";
    public const string AttendanceCalendarRead = "attendance.calendar.read";
    public const string AttendanceReportSubmit = "attendance.report.submit";
    public const string AttendanceReportRead = "attendance.report.read";
    public const string AttendanceAbsenceNotice = "attendance.absence.notice";
    public const string EntryRedact = "case.entry.redact";
    public const string FileUpload = "case.file.upload";
    public const string FileRead = "case.file.read";
    public const string FileList = "case.file.list";
    public const string FileDownload = "case.file.download";
    public const string FileThumbnail = "case.file.thumbnail";
    public const string FileAttach = "case.file.attach";
    public const string FileDirectUpload = "case.file.direct-upload";
    public const string FileUploadBlocks = "case.file.upload-blocks";
    public const string FileUploadUrl = "case.file.upload-url";
    public const string FileUploadComplete = "case.file.upload-complete";
    public const string BreakGlassOpen = "case.break-glass";
    public const string BreakGlassReview = "case.break-glass-review";
    public const string BreakGlassList = "case.break-glass-list";
    /// <summary>The council's agencies (ids, names, kinds), read by a signed-in person's page to name the ids other answers carry.</summary>
    public const string AgenciesRead = "agencies.read";
    public const string NotificationsRead = "notifications.read";
    public const string NotificationsUnreadCount = "notifications.unread-count";
    public const string NotificationMarkRead = "notification.mark-read";
    public const string NotificationsMarkAllRead = "notifications.mark-all-read";
    public const string OnCallRead = "on-call.read";
    public const string OnCallUpdate = "on-call.update";
    public const string AuditRead = "audit.read";
    public const string SignIn = "auth.sign-in";
    public const string AdminAgencySave = "admin.agency.save";
    public const string AdminAgencyRead = "admin.agency.read";
    public const string AdminPersonSave = "admin.person.save";
    public const string AdminPersonRead = "admin.person.read";
    public const string AdminMembershipGrant = "admin.membership.grant";
    /// <summary>Ends a membership; for another coordinator's coordinator membership, proposes ending it (answered 202).</summary>
    public const string AdminMembershipEnd = "admin.membership.end";

    /// <summary>A second coordinator confirms ending another coordinator's coordinator membership.</summary>
    public const string AdminMembershipEndConfirm = "admin.membership.end.confirm";
    public const string AdminKeyIssue = "admin.key.issue";
    public const string AdminKeyRead = "admin.key.read";
    public const string AdminKeyRevoke = "admin.key.revoke";
    public const string AdminKeyRotate = "admin.key.rotate";
    public const string AdminWebhookSave = "admin.webhook.save";
    public const string AdminWebhookRead = "admin.webhook.read";
    public const string AdminWebhookDelete = "admin.webhook.delete";
    public const string AdminWebhookRotateSecret = "admin.webhook.rotate-secret";
    public const string DisposalPropose = "case.disposal.propose";
    public const string DisposalApprove = "case.disposal.approve";
    public const string DisposalWithdraw = "case.disposal.withdraw";
    public const string LegalHoldPlace = "case.legal-hold.place";
    /// <summary>Proposes releasing a legal hold (answered 202); the hold stays in force until a second coordinator confirms.</summary>
    public const string LegalHoldRelease = "case.legal-hold.release";

    /// <summary>A second coordinator confirms a proposed release: the hold is released.</summary>
    public const string LegalHoldReleaseConfirm = "case.legal-hold.release.confirm";
    public const string OpsDisposalRun = "ops.disposal.run";
    public const string OpsDisposalReapply = "ops.disposal.reapply";
    public const string BackupExport = "ops.backup.export";
    public const string BackupRestore = "ops.backup.restore";
    public const string OpsBootstrap = "ops.people.bootstrap";

    /// <summary>A restore of a backup whose manifest signature was missing or wrong, allowed by the operator's
    /// <c>--accept-unsigned-backup</c>.</summary>
    public const string BackupRestoreUnverified = "ops.backup.restore-unverified";

    /// <summary>A restore whose audit seals differ from the live WORM seal container, allowed by <c>--accept-seal-mismatch</c>.</summary>
    public const string BackupRestoreSealMismatch = "ops.backup.restore-seal-mismatch";

    /// <summary>The app started with a different <c>Backup:RecipientPublicKey</c> than last time (old and new fingerprints only).</summary>
    public const string BackupRecipientKeyChange = "backup.recipient-key-change";

    /// <summary>A request to an anonymous endpoint (health, the OpenAPI document, the catch-all), audited only when refused
    /// for a key in its URL.</summary>
    public const string AnonymousRequest = "request.anonymous";

    /// <summary>An admin registers or changes a partner council for transfers (移管); its municipality code is the target.</summary>
    public const string TransferPartnerSave = "transfer.partner.save";

    /// <summary>The list of partner councils, read by an admin or a coordinator.</summary>
    public const string TransferPartnerRead = "transfer.partner.read";

    /// <summary>A coordinator confirms a partner after reading its key fingerprints back on the phone.</summary>
    public const string TransferPartnerConfirm = "transfer.partner.confirm";

    /// <summary>This council's own transfer identity (code and public keys) read, to give to a partner.</summary>
    public const string TransferIdentityRead = "transfer.identity.read";

    /// <summary>A sealed message posted to the intake (<c>POST /api/transfers/incoming</c>). Accepted: the partner council is
    /// the actor and the target (with the message id), and the outcome lists the entry ids and file hashes the package
    /// carries. Refused: one anonymous event, with the sender code the message claimed when it could be read.</summary>
    public const string TransferPackageReceive = "transfer.package.receive";

    /// <summary>A partner's signed answer (acknowledgement or more-request) to a package this council sent, accepted by the
    /// intake: the partner council is the actor and the target (with the answer's message id). Refused answers are recorded
    /// as <see cref="TransferPackageReceive"/> refusals, like every refused message.</summary>
    public const string TransferAnswerReceive = "transfer.answer.receive";

    /// <summary>A coordinator lists the messages received from partner councils (ids, codes, times; no child data).</summary>
    public const string TransferIncomingList = "transfer.incoming.list";
    /// <summary>A coordinator hands a case over to a partner council (移管): the disclosure, on the case, with the entry ids
    /// the package carries, the SHA-256 of each file it carries, the receiver's municipality code and the message id.</summary>
    public const string TransferPackageSend = "transfer.package.send";

    /// <summary>A coordinator records the face-to-face hand-over (対面引継ぎ) of a transfer as done, on the case; the receiver's
    /// municipality code and the message id are the target.</summary>
    public const string TransferHandoverRecord = "transfer.handover.record";

    /// <summary>A coordinator withdraws a transfer not yet acknowledged, on the case (the receiver's code and the message id
    /// are the target; the reason is kept on the transfer's row).</summary>
    public const string TransferWithdraw = "transfer.withdraw";

    /// <summary>A coordinator reads a received package (the disclosure here): the sender's code and the message id are the
    /// target, the package's entry ids the entries touched.</summary>
    public const string TransferIncomingRead = "transfer.incoming.read";

    /// <summary>A coordinator accepts a received package into a new case: the new case is the case touched (so it is in the
    /// audit by case), every imported entry id an entry touched, the sender's code and the message id the target.</summary>
    public const string TransferIncomingAccept = "transfer.incoming.accept";

    /// <summary>A coordinator asks the sender of a received package for more (the text stays on the row, never audited).</summary>
    public const string TransferIncomingMoreRequest = "transfer.incoming.more-request";

    /// <summary>A coordinator makes the export file of a case for a council without this system: the disclosure, on the
    /// case, with the entry ids and the SHA-256 of each file it carries, the receiving municipality code and the file's
    /// message id.</summary>
    public const string TransferFileExport = "transfer.file.export";

    /// <summary>A carried file (a <c>file</c> message) posted to the intake. Accepted: the partner council is the actor and
    /// the target (with the file message's id and the file's SHA-256), the sender's file id the entry touched. Refused: one
    /// anonymous event, like a refused package.</summary>
    public const string TransferFileReceive = "transfer.file.receive";

    /// <summary>A coordinator downloads a received carried file (target: the sender's code, the package's message id, the
    /// file's SHA-256; the file id as the entry touched).</summary>
    public const string TransferFileRead = "transfer.file.read";
}
