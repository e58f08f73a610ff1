<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>本机没有系统密钥环：演示数据用演示口令加密保存。</source>
        <translation type="vanished">This computer has no system keyring: the demo data is encrypted with the demo passphrase.</translation>
    </message>
    <message>
        <source>本机数据口令</source>
        <translation type="vanished">Local data passphrase</translation>
    </message>
    <message>
        <source>这台电脑没有可用的系统密钥环，无法自动保管本机数据的密钥。
请输入本机数据口令（客户数据只会加密保存）：</source>
        <translation type="vanished">This computer has no usable system keyring, so the key to the local data cannot be kept automatically.
Enter the local data passphrase (customer data is only ever stored encrypted):</translation>
    </message>
    <message>
        <source>口令不正确，无法打开本机数据，请重新输入。</source>
        <translation type="vanished">Wrong passphrase: the local data cannot be opened. Please enter it again.</translation>
    </message>
    <message>
        <source>本机数据口令多次输入错误，程序将退出。</source>
        <translation type="vanished">The local data passphrase was entered wrongly too many times; the program will exit.</translation>
    </message>
    <message>
        <source>首次设置口令，请再输入一次以确认：</source>
        <translation type="vanished">Setting the passphrase for the first time: enter it again to confirm:</translation>
    </message>
    <message>
        <source>两次输入的口令不一致。</source>
        <translation type="vanished">The two passphrases do not match.</translation>
    </message>
    <message>
        <source>两次输入的口令不一致，请重新设置。</source>
        <translation type="vanished">The two passphrases do not match; please set it again.</translation>
    </message>
    <message>
        <source>演示账号：clerk1、hotline1、dispatcher1、supervisor1 …，密码 demo1234</source>
        <translation type="vanished">Demo accounts: clerk1, hotline1, dispatcher1, supervisor1 …; password demo1234</translation>
    </message>
    <message>
        <source>无法连接服务器，已离线登录（凭据来自 %1 在本机的在线登录）。网络恢复后会请您再输入一次密码以继续同步。</source>
        <translation type="vanished">Cannot reach the server: signed in offline (with the credentials of the online sign-in on this computer on %1). When the network is back you will be asked for your password once more to keep syncing.</translation>
    </message>
    <message>
        <source>前台受理</source>
        <translation type="vanished">Front desk</translation>
    </message>
    <message>
        <source>工单协同</source>
        <translation type="vanished">Ticket collaboration</translation>
    </message>
    <message>
        <source>勘查派工</source>
        <translation type="vanished">Survey dispatch</translation>
    </message>
    <message>
        <source>服务器已恢复连接。请再输入一次密码，以便上传离线期间的工作。</source>
        <translation type="vanished">The server is reachable again. Enter your password once more to upload the work done offline.</translation>
    </message>
    <message>
        <source>登录已过期。请再输入一次密码以继续同步。</source>
        <translation type="vanished">Your sign-in has expired. Enter your password once more to keep syncing.</translation>
    </message>
    <message>
        <source>未重新登录：工作照常保存在本机，点状态栏的「重新登录以继续同步」可随时上传。</source>
        <translation type="vanished">Not signed in again: your work is still saved on this computer; click “Sign in again to keep syncing” in the status bar to upload it at any time.</translation>
    </message>
    <message>
        <source>已重新登录，正在同步。</source>
        <translation type="vanished">Signed in again; syncing.</translation>
    </message>
    <message>
        <source>工单</source>
        <translation type="vanished">Ticket</translation>
    </message>
    <message>
        <source>客户</source>
        <translation type="vanished">Customer</translation>
    </message>
    <message>
        <source>户号</source>
        <translation type="vanished">Account</translation>
    </message>
    <message>
        <source>接触记录</source>
        <translation type="vanished">Interaction</translation>
    </message>
    <message>
        <source>身份核验</source>
        <translation type="vanished">Identity verification</translation>
    </message>
    <message>
        <source>备注</source>
        <translation type="vanished">Note</translation>
    </message>
    <message>
        <source>环节任务</source>
        <translation type="vanished">Stage task</translation>
    </message>
    <message>
        <source>附件</source>
        <translation type="vanished">Attachment</translation>
    </message>
    <message>
        <source>状态改为「%1」</source>
        <translation type="vanished">State changed to “%1”</translation>
    </message>
    <message>
        <source>新建</source>
        <translation type="vanished">Created</translation>
    </message>
    <message>
        <source>修改 %1</source>
        <translation type="vanished">Changed %1</translation>
    </message>
    <message>
        <source>服务器拒绝了此修改（%1）</source>
        <translation type="vanished">The server rejected this change (%1)</translation>
    </message>
    <message>
        <source>服务器拒绝了此修改。</source>
        <translation type="vanished">The server rejected this change.</translation>
    </message>
    <message>
        <source>两个版本不同</source>
        <translation type="vanished">The two versions differ</translation>
    </message>
    <message>
        <source>此账号已停用，请联系管理员。</source>
        <translation type="vanished">This account is disabled. Please contact your administrator.</translation>
    </message>
    <message>
        <source>用户名或密码不正确。</source>
        <translation type="vanished">Wrong user name or password.</translation>
    </message>
    <message>
        <source>无法连接服务器。</source>
        <translation type="vanished">Cannot reach the server. </translation>
    </message>
    <message>
        <source>此账号从未在这台电脑上在线登录过，暂时不能离线登录；请在网络恢复后再试。</source>
        <translation type="vanished">This account has never signed in online on this computer, so it cannot sign in offline yet; please try again when the network is back.</translation>
    </message>
    <message>
        <source>离线登录密码不正确（以在这台电脑上最近一次在线登录时的密码为准）。</source>
        <translation type="vanished">Wrong offline password (it is the password of the last online sign-in on this computer).</translation>
    </message>
    <message>
        <source>无法连接服务器，请检查网络或服务器地址（设置 → 服务器地址）。</source>
        <translation type="vanished">Cannot reach the server. Check the network or the server address (Settings → Server address).</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <location filename="../../desktop/frontdesk/card_models.py" line="+69"/>
        <source>无欠费</source>
        <translation>No arrears</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>暂停</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已销户</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>户号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用电地址</source>
        <translation>Supply address</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电能表</source>
        <translation>Meter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>欠费</source>
        <translation>Arrears</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../desktop/supervision/action_dialog.py" line="+62"/>
        <source>新建督办</source>
        <translation>New supervision action</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>承办部门</source>
        <translation>Responsible department</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>办结期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>督办要求</source>
        <translation>Requirements</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>督办事项(&amp;T)</source>
        <translation>&amp;Action</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>承办部门(&amp;D)</source>
        <translation>Responsible &amp;department</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办结期限(&amp;U)</source>
        <translation>D&amp;ue date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>督办要求(&amp;R)</source>
        <translation>&amp;Requirements</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>异常预警</source>
        <translation>Anomaly alert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协调清单</source>
        <translation>Coordination list</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协调会议</source>
        <translation>Coordination meeting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>直接督办</source>
        <translation>Assigned directly</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>，涉及工单 %1 件</source>
        <translation>, %1 tickets involved</translation>
    </message>
</context>
<context>
    <name>ActionNotifier</name>
    <message>
        <location filename="../../desktop/supervision/notifier.py" line="+79"/>
        <source>新督办：%1（%2，%3 前办结）</source>
        <translation>New supervision action: %1 (%2, due %3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>督办超期：%1（%2，期限 %3）</source>
        <translation>Supervision action overdue: %1 (%2, due %3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>督办已办结：%1（%2，%3）</source>
        <translation>Supervision action closed: %1 (%2, %3)</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desktop/actions.py" line="+29"/>
        <source>查找客户</source>
        <translation>Find customer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>核验身份</source>
        <translation>Verify identity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理新业务</source>
        <translation>Accept new request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>接办选中的环节</source>
        <translation>Take the selected stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完成选中的环节</source>
        <translation>Complete the selected stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按选中的建议派工</source>
        <translation>Assign the selected suggestion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突收件箱</source>
        <translation>Conflicts inbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>离线工作</source>
        <translation>Work offline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定桌面</source>
        <translation>Lock desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>模拟来电</source>
        <translation>Simulate incoming call</translation>
    </message>
</context>
<context>
    <name>ActionsPanel</name>
    <message>
        <location filename="../../desktop/supervision/panel.py" line="+93"/>
        <source>督办跟踪</source>
        <translation>Supervision tracking</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>我的督办</source>
        <translation>My supervision actions</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>督办范围</source>
        <translation>Actions shown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未办结</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建督办…</source>
        <translation>New action…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>办结…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>撤销…</source>
        <translation>Cancel…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>查看工单</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>承办部门</source>
        <translation>Responsible department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办结期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>涉及工单</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>督办经过</source>
        <translation>Action history</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>未办结 %1 项，其中超期 %2 项</source>
        <translation>%1 open, %2 of them overdue</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 等 %2 件</source>
        <translation>%1 and others, %2 in all</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已超期 %1 天</source>
        <translation>Overdue by %1 days</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>异常预警</source>
        <translation>Anomaly alert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协调清单</source>
        <translation>Coordination list</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>协调会议</source>
        <translation>Coordination meeting</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>直接督办</source>
        <translation>Assigned directly</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>（未知）</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 于 %2 督办，要求 %3 前办结</source>
        <translation>Assigned by %1 on %2, due %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>：%1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 系统提醒：已超期</source>
        <translation>%1 reminder: overdue</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1，待上传：%2</source>
        <translation>%1, waiting to upload: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 于 %2 办结：%3</source>
        <translation>Closed by %1 on %2: %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 于 %2 撤销：%3</source>
        <translation>Cancelled by %1 on %2: %3</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>已督办：%1</source>
        <translation>Action assigned: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>撤销督办</source>
        <translation>Cancel the supervision action</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <location filename="../../desktop/tickets/attachments_panel.py" line="+51"/>
        <source>保存附件</source>
        <translation>Save attachment</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>工单附件</source>
        <translation>Ticket attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>附件预览</source>
        <translation>Attachment preview</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>保存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>将所选附件保存为文件</source>
        <translation>Save the selected attachment as a file</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>等待上传</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>此类文件不能预览，请用“保存为…”保存后打开。</source>
        <translation>This kind of file cannot be previewed; use “Save as…” and open it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在载入预览…</source>
        <translation>Loading the preview…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>此附件不在本机，联网并上传完成后可查看。</source>
        <translation>This attachment is not on this desk; it can be viewed once online and uploaded.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>图片无法显示，可保存后用其他程序打开。</source>
        <translation>The image cannot be shown; save it and open it with another program.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>暂时无法下载此附件：%1</source>
        <translation>Cannot download this attachment now: %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>此附件不在本机，联网并上传完成后可保存。</source>
        <translation>This attachment is not on this desk; it can be saved once online and uploaded.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>附件已保存：%1</source>
        <translation>Attachment saved: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>无法保存附件：%1</source>
        <translation>Cannot save the attachment: %1</translation>
    </message>
</context>
<context>
    <name>CallBar</name>
    <message>
        <location filename="../../desktop/frontdesk/call_bar.py" line="+42"/>
        <source>咨询</source>
        <translation>Enquiry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报修</source>
        <translation>Repair</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>投诉</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+173"/>
        <source>通话</source>
        <translation>Call</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>通话中</source>
        <translation>On a call</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>通话时长</source>
        <translation>Call duration</translation>
    </message>
    <message>
        <location line="-143"/>
        <location line="+159"/>
        <source>话后小结</source>
        <translation>Wrap-up</translation>
    </message>
    <message>
        <location line="-158"/>
        <source>选择话后小结</source>
        <translation>Choose a wrap-up</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>话后小结：%1</source>
        <translation>Wrap-up: %1</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>结束通话(&amp;E)</source>
        <translation>&amp;End call</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>结束通话并记录话后小结</source>
        <translation>End the call and record the wrap-up</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>之前的来电待小结（%1 通），请完成：</source>
        <translation>Earlier calls awaiting wrap-up (%1), please finish:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>来电 %1</source>
        <translation>Call from %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未知号码</source>
        <translation>unknown number</translation>
    </message>
    <message>
        <location line="-278"/>
        <source>话后小结：%1（通话 %2）</source>
        <translation>Wrap-up: %1 (call %2)</translation>
    </message>
</context>
<context>
    <name>CallerPicker</name>
    <message>
        <location filename="../../desktop/frontdesk/screen_pop.py" line="+45"/>
        <source>来电 %1：请选择客户</source>
        <translation>Call from %1: choose the customer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>来电号码对应的客户</source>
        <translation>Customers with the caller&apos;s number</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>这个号码登记在多位客户名下，请向来电人确认身份后选择：</source>
        <translation>This number is registered to several customers. Confirm who is calling, then choose:</translation>
    </message>
</context>
<context>
    <name>CompleteDialog</name>
    <message>
        <location filename="../../desktop/tickets/task_dialogs.py" line="+146"/>
        <source>完成环节：%1</source>
        <translation>Complete stage: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>办理结果(&amp;O)</source>
        <translation>&amp;Outcome</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>对主责部门的协作评价</source>
        <translation>Rating of the lead department&apos;s collaboration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（不评价）</source>
        <translation>(no rating)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 分</source>
        <translation>%1 / 5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评价主责部门（%1）</source>
        <translation>Rate the lead department (%1)</translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <location filename="../../desktop/dispatch/conflicts.py" line="+72"/>
        <source>被服务器拒绝的派工</source>
        <translation>Bookings the server rejected</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>按建议改派</source>
        <translation>Reassign as suggested</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>派工冲突</source>
        <translation>Dispatch conflicts</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>我的版本：</source>
        <translation>My version: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>服务器版本：</source>
        <translation>Server version: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>建议：改派给 %1，%2 开始</source>
        <translation>Suggestion: reassign to %1, starting %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>建议：保留服务器版本</source>
        <translation>Suggestion: keep the server version</translation>
    </message>
</context>
<context>
    <name>ConflictsInbox</name>
    <message>
        <location filename="../../desktop/conflicts_dialog.py" line="+100"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+38"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+39"/>
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>接触记录</source>
        <translation>Interaction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>环节任务</source>
        <translation>Stage task</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>勘查派工</source>
        <translation>Survey assignment</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>附件</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <source>状态改为「%1」</source>
        <translation type="vanished">State set to &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>新建</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>修改 %1</source>
        <translation type="vanished">Changed %1</translation>
    </message>
    <message>
        <source>服务器拒绝了此修改（%1）</source>
        <translation type="vanished">The server refused this change (%1)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>服务器拒绝了此修改。</source>
        <translation>The server refused this change.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="-146"/>
        <location line="+146"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我的修改</source>
        <translation>My change</translation>
    </message>
    <message>
        <location line="-181"/>
        <location line="+181"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="-193"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>诉求摘要</source>
        <translation>Summary of the request</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>业务信息</source>
        <translation>Request details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>承诺时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预警时间</source>
        <translation>Warning time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办结时间</source>
        <translation>Closed at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关联工单</source>
        <translation>Linked ticket</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>勘查员</source>
        <translation>Surveyor</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+11"/>
        <source>开始时间</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>结束时间</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>辖区</source>
        <translation>Territory</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单编号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>临时编号</source>
        <translation>Provisional number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理人</source>
        <translation>Accepted by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>完成时间</source>
        <translation>Completed at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>时限暂定</source>
        <translation>Provisional deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所属工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>补充材料/信息</source>
        <translation>Request for materials or information</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>其他信息</source>
        <translation>Other information</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>（已指定）</source>
        <translation>(set)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>把状态改为「%1」</source>
        <translation>set the state to “%1”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>修改%1</source>
        <translation>changed %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>他人先修改了这条记录。</source>
        <translation>Someone else changed this record first.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>这条记录不属于你的营业单位。</source>
        <translation>This record belongs to another office.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>服务器上没有这条记录。</source>
        <translation>The server has no such record.</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>内容不符合规则。</source>
        <translation>The content breaks a rule.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>你的岗位无权做此修改。</source>
        <translation>Your role may not make this change.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>这条记录已经存在。</source>
        <translation>This record already exists.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1，你对%2的修改（%3）未能保存：%4</source>
        <translation>%1: your change to %2 (%3) was not saved: %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>「%1」你填的是「%2」，现在是「%3」。</source>
        <translation> You entered “%2” for “%1”; it is now “%3”.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>我的版本</source>
        <translation>My version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>服务器版本</source>
        <translation>Server version</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>两个版本不同</source>
        <translation>The two versions differ</translation>
    </message>
</context>
<context>
    <name>ConflictsInboxDialog</name>
    <message>
        <location line="+33"/>
        <source>冲突收件箱</source>
        <translation>Conflicts inbox</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>待处理的冲突</source>
        <translation>Conflicts to resolve</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>我的版本与服务器版本对照</source>
        <translation>My version beside the server version</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>放弃我的修改(&amp;D)</source>
        <translation>&amp;Discard my change</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保留服务器上的版本，我的修改不再提交</source>
        <translation>Keep the server&apos;s version; my change is not sent again</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转主管(&amp;E)</source>
        <translation>&amp;Escalate to supervisor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在工单上留一条内部备注，写明我的修改和被拒原因，由主管决定</source>
        <translation>Leave an internal note on the ticket with my change and why it was refused, for the supervisor to decide</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>【转主管】%1</source>
        <translation>[Escalated] %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已转主管：工单上留了内部备注，主管会看到你的修改。</source>
        <translation>Escalated: an internal note on the ticket shows the supervisor your change.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已放弃我的修改，保留服务器版本。</source>
        <translation>Discarded my change; the server&apos;s version stands.</translation>
    </message>
    <message>
        <source>保留服务器版本(&amp;S)</source>
        <translation type="vanished">Keep the &amp;server version</translation>
    </message>
    <message>
        <location line="-114"/>
        <source>重新提交我的修改(&amp;R)</source>
        <translation>&amp;Resubmit my change</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>没有待处理的冲突。</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>服务器上没有这条记录。</source>
        <translation type="vanished">The server has no such record.</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>已重新提交我的修改，将在下次同步时上传。</source>
        <translation>My change was resubmitted; it is uploaded at the next sync.</translation>
    </message>
    <message>
        <source>已保留服务器版本。</source>
        <translation type="vanished">Kept the server version.</translation>
    </message>
</context>
<context>
    <name>CoordinationDialog</name>
    <message>
        <location filename="../../desktop/tickets/coordination_dialog.py" line="+42"/>
        <source>跨部门协调清单</source>
        <translation>Cross-department coordination list</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日清单</source>
        <translation>Daily list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>周清单</source>
        <translation>Weekly list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>月清单</source>
        <translation>Monthly list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自定义…</source>
        <translation>Custom…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>查询</source>
        <translation>Show</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>记录会议…</source>
        <translation>Record meeting…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>督办所选…</source>
        <translation>Supervise selected…</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+22"/>
        <source>跨部门卡点</source>
        <translation>Stuck between departments</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+21"/>
        <source>各部门超时统计</source>
        <translation>Overdue by department</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导出 PDF…</source>
        <translation>Export to PDF…</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>请先在跨部门卡点中选择一项。</source>
        <translation>Select an item among the cross-department stalls first.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>协调工单 %1「%2」环节</source>
        <translation>Coordinate ticket %1, stage &quot;%2&quot;</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出协调清单</source>
        <translation>Export the coordination list</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>Credentials</name>
    <message>
        <location filename="../../desktop/credentials.py" line="+135"/>
        <source>内置服务器数据库的密钥已丢失：旧数据库已移到 %1（文件保留），已新建数据库。</source>
        <translation>The key of the built-in server&apos;s database is lost: the old database was moved to %1 (the file is kept) and a new one was created.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>系统密钥环中的密钥打不开本机数据</source>
        <translation>The key in the system keyring does not open the local data</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>旧的本机数据已移到 %1，正在重新同步。</source>
        <translation>The old local data was moved to %1; syncing again.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>本机没有系统密钥环：演示数据用演示口令加密保存。</source>
        <translation>This computer has no system keyring: the demo data is encrypted with the demo passphrase.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>口令不正确，无法打开本机数据，请重新输入。</source>
        <translation>Wrong passphrase: the local data cannot be opened. Please try again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机数据口令多次输入错误，程序将退出。</source>
        <translation>Too many wrong passphrases; OneWindow will quit.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>本机数据的密钥原先保存在不安全的密钥环中（明文文件），现在改为用口令保护。</source>
        <translation>The local data&apos;s key was kept in an insecure keyring (a plaintext file); the data is now protected by a passphrase instead.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>密钥环中的旧密钥打不开本机数据。</source>
        <translation>The old key in the keyring does not open the local data.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>无法打开本机数据：它的密钥由系统密钥环保管，现在找不到了。</source>
        <translation>Cannot open the local data: its key was kept in the system keyring and is gone now.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>无法得知旧数据中有多少尚未上传的更改。</source>
        <translation>It is unknown how many changes in the old data were not uploaded yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>旧数据中没有尚未上传的更改。</source>
        <translation>The old data holds no changes waiting for upload.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>旧数据中有 %1 条尚未上传的更改，移到一旁后不会上传（找回密钥后仍可打开旧文件）。</source>
        <translation>The old data holds %1 changes not uploaded yet; once moved aside they will not be uploaded (the old file still opens if the key is found).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>若系统密钥环只是暂时不可用（例如尚未解锁），请选择“退出”，稍后再试。</source>
        <translation>If the system keyring is only unavailable for now (not unlocked yet, for example), choose “Quit” and try again later.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>是否把旧数据移到一旁（文件保留，不会删除），新建本机数据并重新同步？</source>
        <translation>Move the old data aside (the file is kept, not deleted), create new local data and sync again?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>本机数据密钥丢失</source>
        <translation>Local data key lost</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>移到一旁并重新同步</source>
        <translation>Move aside and sync again</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>这台电脑没有可用的系统密钥环，无法自动保管本机数据的密钥。
请输入本机数据口令（客户数据只会加密保存）：</source>
        <translation>This computer has no usable system keyring to keep the local data key.
Enter the local data passphrase (customer data is only ever stored encrypted):</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+9"/>
        <source>本机数据口令</source>
        <translation>Local data passphrase</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>首次设置口令，请再输入一次以确认：</source>
        <translation>Setting the passphrase for the first time: enter it again to confirm:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>两次输入的口令不一致，请重新设置。</source>
        <translation>The two passphrases differ; please set it again.</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <location filename="../../desktop/frontdesk/card.py" line="+85"/>
        <source>客户信息卡</source>
        <translation>Customer card</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+1"/>
        <source>用电户号</source>
        <translation>Electricity accounts</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>在办工单</source>
        <translation>Open tickets</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>双击或按回车打开工单详情</source>
        <translation>Double-click or press Enter to open the ticket</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+8"/>
        <source>服务记录</source>
        <translation>Service history</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>按渠道筛选服务记录</source>
        <translation>Filter the service history by channel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部渠道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>渠道(&amp;C)：</source>
        <translation>&amp;Channel:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>核验身份(&amp;V)</source>
        <translation>&amp;Verify identity</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>核验客户身份</source>
        <translation>Verify the customer&apos;s identity</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>受理新业务(&amp;N)</source>
        <translation>Accept &amp;new request</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>为此客户受理新业务</source>
        <translation>Accept a new request for this customer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证件号码：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份核验：</source>
        <translation>Identity verification:</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+4"/>
        <source>待客户补充的材料</source>
        <translation>Materials still asked of the customer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>需补充</source>
        <translation>Asked for</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>索要时间</source>
        <translation>Asked at</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>已收到材料…</source>
        <translation>Materials received…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>客户已交来所需材料，确认已补齐</source>
        <translation>The customer brought what was asked: mark it met</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>客户来到柜台时请收取以上材料</source>
        <translation>Take these materials when the customer is at the counter</translation>
    </message>
    <message numerus="yes">
        <location line="+37"/>
        <source>待客户补充的材料（%n 项）</source>
        <translation>
            <numerusform>Materials still asked of the customer (%n item)</numerusform>
            <numerusform>Materials still asked of the customer (%n items)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+152"/>
        <source>未核验：个人信息已遮蔽</source>
        <translation>Not verified: personal details are masked</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已核验（{method}）</source>
        <translation>Verified ({method})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>遮蔽个人信息(&amp;H)</source>
        <translation>&amp;Hide personal details</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>显示完整信息(&amp;S)</source>
        <translation>&amp;Show full details</translation>
    </message>
</context>
<context>
    <name>CustomerSearchModel</name>
    <message>
        <location filename="../../desktop/frontdesk/search.py" line="+215"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>匹配项</source>
        <translation>Matched on</translation>
    </message>
</context>
<context>
    <name>CustomerSearchPanel</name>
    <message>
        <location filename="../../desktop/frontdesk/search_panel.py" line="+39"/>
        <source>查找客户</source>
        <translation>Find customer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号、户号、手机号、工单号或姓名</source>
        <translation>ID number, account number, mobile number, ticket number or name</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>识别的查询类型</source>
        <translation>Recognised query type</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>查找结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>按{kind}查找</source>
        <translation>Searching by {kind}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>显示前{n}位客户（匹配的更多，请输入更完整的信息缩小范围）</source>
        <translation>Showing the first {n} customers (more match; type more to narrow the search)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>找到{n}位客户</source>
        <translation>{n} customer(s) found</translation>
    </message>
    <message>
        <source>身份证号码有误：{reason}</source>
        <translation type="vanished">The ID number is wrong: {reason}</translation>
    </message>
</context>
<context>
    <name>DepartmentScoresDialog</name>
    <message>
        <location filename="../../desktop/tickets/department_scores.py" line="+40"/>
        <source>本部门评价</source>
        <translation>My department&apos;s evaluation</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+20"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>加权得分</source>
        <translation>Weighted score</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>主责评价</source>
        <translation>Lead rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协作互评</source>
        <translation>Peer rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>客户评价</source>
        <translation>Customer rating</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>未连接服务器：评价结果在线查看。</source>
        <translation>Not connected to the server: the evaluation is read online.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>加权得分满分 5 分；权重：主责 %1 · 协作 %2 · 客户 %3</source>
        <translation>Weighted score out of 5; weights: lead %1 · peer %2 · customer %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>本部门本月尚无评价</source>
        <translation>No evaluation of this department this month yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本部门第 %1 名，共 %2 个部门</source>
        <translation>This department ranks %1 of %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 分</source>
        <translation>%1 / 5</translation>
    </message>
    <message>
        <source>%1（%2 条）</source>
        <translation type="vanished">%1 (%2 ratings)</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../desktop/__main__.py" line="+54"/>
        <source>程序出现意外错误，详情已记录。</source>
        <translation>The program hit an unexpected error; the details have been logged.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>一窗通</source>
        <translation>OneWindow</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="+148"/>
        <source>服务器地址已更改：请在新服务器上重新登录。</source>
        <translation>The server address changed: please sign in on the new server.</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>演示账号 %1 未能登录：</source>
        <translation>Demo account %1 could not sign in:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>演示账号：clerk1、hotline1、dispatcher1、supervisor1 …，密码 demo1234</source>
        <translation>Demo accounts: clerk1, hotline1, dispatcher1, supervisor1 …, password demo1234</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>无法连接服务器，已离线登录（凭据来自 %1 在本机的在线登录）。网络恢复后会请您再输入一次密码以继续同步。</source>
        <translation>Cannot reach the server: signed in offline (with the credentials of your online sign-in here at %1). When the link returns you will be asked for your password once to resume syncing.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>前台受理</source>
        <translation>Front desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单协同</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>勘查派工</source>
        <translation>Survey dispatch</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>停电抢修</source>
        <translation>Outage repair</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>效能监控</source>
        <translation>Efficiency monitor</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>电能质量</source>
        <translation>Power quality</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>服务器已恢复连接。请再输入一次密码，以便上传离线期间的工作。</source>
        <translation>The server is reachable again. Enter your password once more to upload the work done offline.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登录已过期。请再输入一次密码以继续同步。</source>
        <translation>Your session has ended. Enter your password again to resume syncing.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>未重新登录：工作照常保存在本机，点状态栏的「重新登录以继续同步」可随时上传。</source>
        <translation>Not signed in again: your work is kept on this computer; click &quot;Sign in to resume syncing&quot; in the status bar to upload it at any time.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已重新登录，正在同步。</source>
        <translation>Signed in again; syncing.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已切换为离线工作：修改保存在本机，恢复联网后上传。</source>
        <translation>Working offline: changes are kept on this desk and uploaded when back online.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已恢复联网，正在同步。</source>
        <translation>Back online; syncing.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>正在离线工作：取消「离线工作」后才会同步。</source>
        <translation>Working offline: turn off “Work offline” to sync.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>当前离线，无法连接服务器：修改已保存在本机，正在重试，连接恢复后自动上传。</source>
        <translation>Offline: cannot reach the server. Your changes are saved on this desk and will be uploaded when the link returns; trying again now.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>临时编号已换为正式编号：%1</source>
        <translation>Provisional numbers replaced by the server&apos;s numbers: %1</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>模拟来电只能在演示模式的内置服务器上使用。</source>
        <translation>Simulated calls work only with the demo mode&apos;s built-in server.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>模拟来电未能送达内置服务器。</source>
        <translation>The simulated call did not reach the built-in server.</translation>
    </message>
</context>
<context>
    <name>DeskLock</name>
    <message>
        <location filename="../../desktop/lock.py" line="+230"/>
        <source>密码错误次数过多，已退出登录。</source>
        <translation>Too many wrong passwords: you have been signed out.</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <location filename="../../desktop/dispatch/labels.py" line="+12"/>
        <source>低压</source>
        <translation>Low voltage</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>高压</source>
        <translation>High voltage</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>远程视频</source>
        <translation>Remote video</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>低压非居民</source>
        <translation>Low-voltage non-residential</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>低压居民</source>
        <translation>Low-voltage residential</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>远程勘查</source>
        <translation>Remote survey</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>现场勘查</source>
        <translation>On-site survey</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已超时</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1天%2小时</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1小时%2分钟</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1分钟</source>
        <translation>%1 min</translation>
    </message>
</context>
<context>
    <name>DispatchBoard</name>
    <message>
        <location filename="../../desktop/dispatch/board.py" line="+70"/>
        <source>勘查派工</source>
        <translation>Survey dispatch</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>派工日期</source>
        <translation>Dispatch date</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>批量自动派工</source>
        <translation>Auto-dispatch all</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>预约视频勘查</source>
        <translation>Book a video survey</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>派工锁状态</source>
        <translation>Dispatch lock status</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>待派工队列</source>
        <translation>Surveys to dispatch</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>推荐勘查员</source>
        <translation>Suggested surveyors</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>按建议派工</source>
        <translation>Assign as suggested</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>按选中的建议派工</source>
        <translation>Assign the selected suggestion</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>辖区</source>
        <translation>Territory</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>改辖区</source>
        <translation>Change territory</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>推荐理由</source>
        <translation>Why suggested</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>不能派工的原因</source>
        <translation>Why this cannot be booked</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>待派工</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>推荐</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>无可派勘查员：</source>
        <translation>No surveyor available: </translation>
    </message>
    <message>
        <location line="+40"/>
        <source>自动派工进行中，不能手动调整这些勘查员的日程</source>
        <translation>Auto-dispatch is running: these surveyors&apos; schedules cannot be changed by hand</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>已派给 %1，%2 开始</source>
        <translation>Dispatched to %1, starting %2</translation>
    </message>
    <message>
        <location line="-64"/>
        <location line="+71"/>
        <location line="+115"/>
        <source>请先在待派工队列中选择勘查单</source>
        <translation>First choose a survey in the dispatch queue</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>不能派给 %1：</source>
        <translation>Cannot dispatch to %1: </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>请先在待派工队列中选择勘查单，再选一位推荐的勘查员</source>
        <translation>First choose a survey in the queue, then one of the suggested surveyors</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 正在为这些勘查员派工（锁定至 %2），请稍后再试</source>
        <translation>%1 is planning these surveyors (locked until %2); please try again later</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>已按方案派工 %1 单</source>
        <translation>Dispatched %1 survey(s) as proposed</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>没有可预约视频勘查的勘查员</source>
        <translation>No surveyor can take a video survey</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>已记录远程勘查结果</source>
        <translation>Remote survey result recorded</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已转为现场勘查，回到待派工队列</source>
        <translation>Changed to an on-site survey and returned to the dispatch queue</translation>
    </message>
</context>
<context>
    <name>DispatchLocks</name>
    <message>
        <location filename="../../desktop/dispatch/locks.py" line="+75"/>
        <source>本机锁定：未连接服务器，其他派工台看不到此锁</source>
        <translation>Locked on this desk only: not connected to the server, other desks cannot see this lock</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+87"/>
        <source>离线：仅在本机锁定，其他派工台看不到此锁；同步时服务器会复核每一单</source>
        <translation>Offline: locked on this desk only, other desks cannot see this lock; the server re-checks every booking when the desk syncs</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>服务器上的锁已失效，其他派工台可能正在调整这些勘查员</source>
        <translation>The lock on the server has lapsed; another desk may be changing these surveyors&apos; days</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>已在服务器锁定 %1 名勘查员的当日排班（至 %2，审阅期间自动续期）</source>
        <translation>%1 surveyors&apos; day locked on the server (until %2, renewed while the review is open)</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <location filename="../../desktop/display.py" line="+100"/>
        <source>%1（%2 条）</source>
        <translation>%1 (%2 ratings)</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>已输入字数</source>
        <translation>Characters entered</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../desktop/efficiency/area.py" line="+1084"/>
        <source>正在查找…</source>
        <translation>Looking…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>共 %1 件（本机已同步的本单位工单，最多显示 %2 件；服务器暂不提供指标背后的工单清单）。双击一行在「工单协同」中打开。</source>
        <translation>%1 tickets (the office&apos;s tickets synced to this desk, at most %2 shown; the server does not list the tickets behind an indicator yet). Double-click a row to open it in Tickets.</translation>
    </message>
</context>
<context>
    <name>EfficiencyMonitor</name>
    <message>
        <location line="-1007"/>
        <source>双击查看背后的工单</source>
        <translation>Double-click for the tickets behind it</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>效能监控</source>
        <translation>Efficiency monitor</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+58"/>
        <source>时段</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自定义时段</source>
        <translation>Custom period</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+130"/>
        <source>营业单位</source>
        <translation>Office</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>全部单位（汇总）</source>
        <translation>All offices (roll-up)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+30"/>
        <location line="+21"/>
        <source>切片</source>
        <translation>Slice</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>全部业务</source>
        <translation>All business</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按业务类型</source>
        <translation>By ticket type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>切片取值</source>
        <translation>Slice value</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+240"/>
        <source>按时办结率走势（%）</source>
        <translation>On-time closing trend (%)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按时办结率走势</source>
        <translation>On-time closing trend</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>部门排名：环节按时率与多方评价得分</source>
        <translation>Department ranking: stage on-time rate and multi-party score</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>部门排名</source>
        <translation>Department ranking</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>部门排名表</source>
        <translation>Department ranking table</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>⚠ 预警中</source>
        <translation>⚠ In alert</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>设定目标…</source>
        <translation>Set targets…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>设定本单位各指标的目标值</source>
        <translation>Set this office&apos;s target for each indicator</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>月度分析包…</source>
        <translation>Monthly pack…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导出服务效率专题分析会的月度分析包（Excel 与 PDF）</source>
        <translation>Export the monthly pack for the service-efficiency analysis meeting (Excel and PDF)</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+29"/>
        <source>异常预警</source>
        <translation>Anomaly alerts</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>发生时间</source>
        <translation>Raised</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>双击查看预警背后的工单</source>
        <translation>Double-click to see the tickets behind the alert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>处理说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理说明（确认或解除时必填）</source>
        <translation>Note (required to acknowledge or resolve)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>确认</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>解除</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>督办…</source>
        <translation>Supervise…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>加权得分</source>
        <translation>Weighted score</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>主责评价</source>
        <translation>Lead rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协作互评</source>
        <translation>Peer rating</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>客户评价</source>
        <translation>Customer rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../desktop/efficiency/data.py" line="+327"/>
        <source>环节按时率</source>
        <translation>Stage on-time rate</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>各单位对比</source>
        <translation>Offices side by side</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../desktop/efficiency/data.py" line="-284"/>
        <location line="+283"/>
        <source>按时办结率</source>
        <translation>On-time closing rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../desktop/efficiency/data.py" line="-282"/>
        <location line="+284"/>
        <source>超期积压</source>
        <translation>Overdue backlog</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../desktop/efficiency/data.py" line="-283"/>
        <source>一次办结率</source>
        <translation>First-time resolution</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../desktop/efficiency/data.py" line="+1"/>
        <source>客户评价均分</source>
        <translation>Mean customer rating</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>流程图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>开始日期晚于结束日期，请重新选择。</source>
        <translation>The start date is after the end date; please choose again.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>未连接服务器</source>
        <translation>not connected to the server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法读取效能数据（%1），本机也没有保存过快照。</source>
        <translation>Cannot read the efficiency figures (%1), and this desk has no saved snapshot.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>效能监控：无法连接服务器，显示本机保存的快照。</source>
        <translation>Efficiency monitor: the server cannot be reached; showing the snapshot saved on this desk.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>离线快照：%1 读取（%2）</source>
        <translation>Offline snapshot read %1 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>数据时间：%1（%2）</source>
        <translation>Figures as of %1 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>；所选时段尚未读取</source>
        <translation>; the chosen period is not read yet</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+21"/>
        <source>%1 件</source>
        <translation>%1</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+21"/>
        <source>%1 分</source>
        <translation>%1 / 5</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+21"/>
        <source>%1 个工作日</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+21"/>
        <source>每千件 %1 件</source>
        <translation>%1 per 1,000</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+21"/>
        <source>%1 次</source>
        <translation>%1 trips</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+19"/>
        <source>%1 分钟</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 个百分点</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>目标：各单位自定</source>
        <translation>Target: set by each office</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>目标：%1 %2</source>
        <translation>Target: %1 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（已达标）</source>
        <translation> (met)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（未达标）</source>
        <translation> (not met)</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>含 App 评价 %n 条</source>
        <translation>
            <numerusform>incl. %n rating from the app</numerusform>
            <numerusform>incl. %n ratings from the app</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>每件受理少跑 %1 次</source>
        <translation>%1 trips avoided per ticket accepted</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>服务器只按营业单位统计超期积压，不按切片</source>
        <translation>The server counts the overdue backlog per office only, not per slice</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>目标：未设定</source>
        <translation>Target: none set</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>当前数，无上期可比</source>
        <translation>A figure of now: no previous period</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>较上期：无可比数据</source>
        <translation>Previous period: nothing to compare</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>较上期 %1 %2</source>
        <translation>On previous period %1 %2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>环节按时率（%）</source>
        <translation>Stage on-time rate (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>加权得分（满分5分，×20）</source>
        <translation>Weighted score (out of 5, ×20)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>多方评价按营业单位排名：在上方选择一个营业单位即可查看其部门排名。</source>
        <translation>Multi-party scores are ranked per office: choose an office above to see its departments&apos; ranking.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 月多方评价权重：主责 %2 · 协作 %3 · 客户 %4</source>
        <translation>Multi-party weights for %1: lead %2 · peer %3 · customer %4</translation>
    </message>
    <message>
        <source>%1（%2 条）</source>
        <translation type="vanished">%1 (%2 ratings)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 背后的工单</source>
        <translation>Tickets behind %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 办结的工单</source>
        <translation>Tickets closed %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 在本时段经手的工单</source>
        <translation>Tickets %1 worked in the period</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>预警未能刷新：%1</source>
        <translation>Alerts not refreshed: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>连续 %1 天低于目标 %2：%3</source>
        <translation>Under the target %2 for %1 days running: %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>积压 %1 件，上限 %2 件</source>
        <translation>Backlog %1, limit %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>近 %1 天中位 %2，%3 周基线 %4，MAD %5，阈值 %6（分钟）</source>
        <translation>Median of the last %1 days %2, %3-week baseline %4, MAD %5, threshold %6 (minutes)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>全单位</source>
        <translation>Whole office</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已确认</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已解除</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 条未解除的预警</source>
        <translation>%1 unresolved alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无异常预警</source>
        <translation>No anomaly alerts</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+20"/>
        <source>请先在列表中选择一条预警。</source>
        <translation>Select an alert in the list first.</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>已督办：%1</source>
        <translation>Action assigned: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>请填写处理说明。</source>
        <translation>Please write a note.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>未连接服务器，预警须在线处理。</source>
        <translation>Not connected: alerts are handled online.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>未连接服务器，目标须在线设定。</source>
        <translation>Not connected to the server: targets are set online.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已保存 %1 项目标。</source>
        <translation>%1 target(s) saved.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>服务效率月度分析</source>
        <translation>Service efficiency monthly analysis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存月度分析包</source>
        <translation>Save the monthly pack</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>未连接服务器，月度分析包须在线生成。</source>
        <translation>Not connected to the server: the monthly pack is made online.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>请先选择一个营业单位：月度分析包按单位生成。</source>
        <translation>Pick one office first: a monthly pack is made per office.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>正在写入月度分析包…</source>
        <translation>Writing the monthly pack…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在读取 %1 的数据…</source>
        <translation>Reading the figures of %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已导出月度分析包：%1、%2</source>
        <translation>Monthly pack exported: %1, %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>月度分析包已保存到 %1</source>
        <translation>The monthly pack was saved in %1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>预警背后的工单：%1（%2）</source>
        <translation>Tickets behind the alert: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../desktop/efficiency/data.py" line="+1"/>
        <source>不满意占比</source>
        <translation>Share dissatisfied</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>并行节省工作日</source>
        <translation>Working days saved in parallel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>线上受理占比</source>
        <translation>Share accepted online</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>客户少跑次数</source>
        <translation>Customer trips avoided</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协同响应时间</source>
        <translation>Coordination response time</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>材料重复索要</source>
        <translation>Materials asked again</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>信息共享质量</source>
        <translation>Information sharing quality</translation>
    </message>
    <message>
        <location line="+273"/>
        <source>环节办理时长中位数</source>
        <translation>Median stage working time</translation>
    </message>
</context>
<context>
    <name>FrontDesk</name>
    <message>
        <location filename="../../desktop/frontdesk/intake_fields.py" line="+43"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>年-月-日，例如 2025-03-18</source>
        <translation type="vanished">year-month-day, e.g. 2025-03-18</translation>
    </message>
    <message>
        <source>已输入字数</source>
        <translation type="vanished">Characters entered</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>整数</source>
        <translation>Whole number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>手机号或区号-电话号码</source>
        <translation>Mobile number, or area code-phone number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>18位居民身份证号码</source>
        <translation>18-character resident ID number</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{low}–{high} 的整数</source>
        <translation>A whole number from {low} to {high}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>（未选择）</source>
        <translation>(not chosen)</translation>
    </message>
    <message>
        <location filename="../../desktop/frontdesk/labels.py" line="+45"/>
        <source>营业厅</source>
        <translation>Service hall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>95598热线</source>
        <translation>95598 hotline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>网上国网</source>
        <translation>State Grid app</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>主动服务</source>
        <translation>Proactive service</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+12"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+12"/>
        <source>手机号</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+12"/>
        <source>户号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+12"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>号码片段</source>
        <translation>Part of a number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名或地址</source>
        <translation>Name or address</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>身份证号开头</source>
        <translation>Start of ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>手机号开头</source>
        <translation>Start of mobile number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户号开头</source>
        <translation>Start of account number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名开头</source>
        <translation>Start of name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>来访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>来电</source>
        <translation>Call</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>线上申请</source>
        <translation>Online request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单进展</source>
        <translation>Ticket progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>现场服务</source>
        <translation>On-site service</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>身份证读卡</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号码与姓名</source>
        <translation>ID number and name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户号、姓名与身份证后4位</source>
        <translation>Account number, name and last 4 of ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>短信验证码</source>
        <translation>SMS code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>网上国网实名认证</source>
        <translation>State Grid app real-name verification</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正常</source>
        <translation>On time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超时</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{d}天{h}小时</source>
        <translation>{d} d {h} h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{h}小时{m}分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{m}分{s}秒</source>
        <translation>{m} min {s} s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已超时{t}</source>
        <translation>{t} overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>剩余{t}</source>
        <translation>{t} left</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{amount}元</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/frontdesk/screen.py" line="+45"/>
        <source>前台受理</source>
        <translation>Front desk</translation>
    </message>
    <message>
        <source>请在左侧查找客户（F2），按回车打开客户信息卡。</source>
        <translation type="vanished">Find a customer on the left (F2) and press Enter to open the customer card.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>请在左侧查找客户（F2），按回车打开客户信息卡。
新客户（新装）：按 F4 受理，申请人随工单登记。</source>
        <translation>Find the customer on the left (F2) and press Enter to open their card.
A new customer (new connection): press F4; the applicant is registered with the request.</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>来电 %1</source>
        <translation>Call from %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>请先查找并打开一位客户，再核验身份。</source>
        <translation>First find and open a customer, then verify their identity.</translation>
    </message>
</context>
<context>
    <name>InfoRequestDialog</name>
    <message>
        <location filename="../../desktop/tickets/info_requests.py" line="+95"/>
        <source>补充材料/信息</source>
        <translation>More materials or information</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>向谁索要</source>
        <translation>Asked of</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>客户（补充材料）</source>
        <translation>The customer (materials)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他部门（补充信息）</source>
        <translation>Another department (information)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>需补充的材料</source>
        <translation>Materials needed</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>被索要信息的部门</source>
        <translation>Department asked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>需补充的内容</source>
        <translation>What is needed</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>索要原因</source>
        <translation>Reason for asking</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>向谁索要(&amp;A)</source>
        <translation>&amp;Ask</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>材料(&amp;M)</source>
        <translation>&amp;Materials</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>部门(&amp;D)</source>
        <translation>&amp;Department</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>内容(&amp;C)</source>
        <translation>&amp;Content</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>InfoRequestsPanel</name>
    <message>
        <location line="+150"/>
        <source>补充材料/信息</source>
        <translation>More materials or information</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>向谁索要</source>
        <translation>Asked of</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已补齐…</source>
        <translation>Received…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>确认已补齐</source>
        <translation>Mark as received</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>撤回…</source>
        <translation>Withdraw…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>撤回误发的索要</source>
        <translation>Withdraw a request asked by mistake</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>索要有误时撤回（须写明原因）；撤回后不计入材料重复索要和信息共享质量</source>
        <translation>Withdraw a request asked by mistake (a reason is required); a withdrawn request counts neither in materials asked again nor in information-sharing quality</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <location filename="../../desktop/frontdesk/receipt_actions.py" line="+31"/>
        <source>保存受理回执</source>
        <translation>Save the acceptance receipt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/frontdesk/intake_dialog.py" line="+54"/>
        <source>添加附件</source>
        <translation>Add attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>图片或 PDF 文件 (*.png *.jpg *.jpeg *.pdf)</source>
        <translation>Images or PDF files (*.png *.jpg *.jpeg *.pdf)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>受理新业务</source>
        <translation>Accept new request</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>受理(&amp;A)</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理此业务</source>
        <translation>Accept this request</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>已恢复本次接待中未受理的草稿。</source>
        <translation>The draft from this visit that was not accepted has been restored.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>清空草稿(&amp;E)</source>
        <translation>Cl&amp;ear draft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>清空草稿，重新填写</source>
        <translation>Clear the draft and start again</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>未选择客户：新装申请人将随工单登记为新客户（读取身份证或手工填写）；其他业务按匿名受理。</source>
        <translation>No customer chosen: a new-connection applicant is registered as a new customer with the request (read their ID card or type it in); other requests are accepted anonymously.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>读取身份证(&amp;R)</source>
        <translation>&amp;Read ID card</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>读取申请人的身份证</source>
        <translation>Read the applicant&apos;s ID card</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>随工单提交的附件</source>
        <translation>Attachments filed with the ticket</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>添加附件…</source>
        <translation>Add attachments…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>添加附件（图片或 PDF）</source>
        <translation>Add attachments (images or PDF)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>移除附件</source>
        <translation>Remove attachment</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>无法读取附件文件：{name}</source>
        <translation>Cannot read the file: {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>只能添加图片（JPEG、PNG）或 PDF 文件：{name}</source>
        <translation>Only images (JPEG, PNG) and PDF files can be attached: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>附件文件为空：{name}</source>
        <translation>The file is empty: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>附件超过 {limit} MB：{name}</source>
        <translation>The file is larger than {limit} MB: {name}</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>已登记新客户：{name}</source>
        <translation>New customer registered: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>工单已受理，但以下附件未能保存：{names}</source>
        <translation>The ticket was accepted, but these attachments could not be saved: {names}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>受理未能完成，请重试。</source>
        <translation>The request could not be accepted; please try again.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>此客户已有同类在办工单</source>
        <translation>This customer already has an open ticket of this type</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>转为催办(&amp;L)</source>
        <translation>Fo&amp;llow-up chase instead</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转为对已有工单的催办</source>
        <translation>Turn it into a follow-up chase on the open ticket</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>仍然受理(&amp;F)</source>
        <translation>&amp;File a new ticket anyway</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>仍然受理新工单</source>
        <translation>Accept a new ticket anyway</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>此客户已有同类工单在办（{numbers}）。可转为催办，或确认是新的诉求后仍然受理。</source>
        <translation>This customer already has an open ticket of this type ({numbers}). Turn this into a follow-up chase, or, once you have confirmed it is a new request, accept it anyway.</translation>
    </message>
    <message>
        <source>保存受理回执(&amp;P)…</source>
        <translation type="vanished">Save the &amp;PDF receipt…</translation>
    </message>
    <message>
        <source>保存受理回执PDF</source>
        <translation type="vanished">Save the acceptance receipt as PDF</translation>
    </message>
    <message>
        <source>完成(&amp;D)</source>
        <translation type="vanished">&amp;Done</translation>
    </message>
    <message>
        <source>已受理：{type}</source>
        <translation type="vanished">Accepted: {type}</translation>
    </message>
    <message>
        <source>工单编号：{number}</source>
        <translation type="vanished">Ticket number: {number}</translation>
    </message>
    <message>
        <source>工单编号：{number}（临时编号，联网同步后分配正式编号）</source>
        <translation type="vanished">Ticket number: {number} (provisional; the final number is assigned when the desk syncs)</translation>
    </message>
    <message>
        <source>承诺办结时限：{due}（暂定：该年度节假日安排尚未公布）</source>
        <translation type="vanished">Promised completion by: {due} (provisional: that year&apos;s public holidays are not yet published)</translation>
    </message>
    <message>
        <source>承诺办结时限：{due}</source>
        <translation type="vanished">Promised completion by: {due}</translation>
    </message>
    <message>
        <source>工单编号：</source>
        <translation type="vanished">Ticket number:</translation>
    </message>
    <message>
        <source>编号状态：</source>
        <translation type="vanished">Number status:</translation>
    </message>
    <message>
        <source>临时编号，联网同步后分配正式编号，两个编号均可查询</source>
        <translation type="vanished">Provisional number; the final number is assigned when the desk syncs, and both numbers can be searched</translation>
    </message>
    <message>
        <source>业务类型：</source>
        <translation type="vanished">Request type:</translation>
    </message>
    <message>
        <source>客户：</source>
        <translation type="vanished">Customer:</translation>
    </message>
    <message>
        <source>匿名</source>
        <translation type="vanished">Anonymous</translation>
    </message>
    <message>
        <source>正在取得正式工单编号，回执将使用正式编号…</source>
        <translation type="vanished">Getting the final ticket number; the receipt will carry it…</translation>
    </message>
    <message>
        <source>打印回执(&amp;P)…</source>
        <translation type="vanished">&amp;Print receipt…</translation>
    </message>
    <message>
        <location filename="../../desktop/frontdesk/receipt_print.py" line="+118"/>
        <source>打印受理回执</source>
        <translation>Print the acceptance receipt</translation>
    </message>
    <message>
        <source>打印预览(&amp;V)…</source>
        <translation type="vanished">Print pre&amp;view…</translation>
    </message>
    <message>
        <source>受理回执打印预览</source>
        <translation type="vanished">Print preview of the acceptance receipt</translation>
    </message>
    <message>
        <source>保存为PDF(&amp;S)…</source>
        <translation type="vanished">&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>短信告知工单编号(&amp;M)</source>
        <translation type="vanished">Send the ticket number by S&amp;MS</translation>
    </message>
    <message>
        <source>以短信告知来电人工单编号</source>
        <translation type="vanished">Send the caller the ticket number by SMS</translation>
    </message>
    <message>
        <source>没有可接收短信的手机号码</source>
        <translation type="vanished">No mobile number to send an SMS to</translation>
    </message>
    <message>
        <source>（临时编号 {provisional} 已由正式编号取代，两个编号均可查询）</source>
        <translation type="vanished">(The provisional number {provisional} has been replaced by the final number; both can be searched)</translation>
    </message>
    <message>
        <source>您的{type}已受理，工单编号{number}，承诺{due}前办结。进度查询请拨打95598。</source>
        <translation type="vanished">Your {type} has been accepted, ticket number {number}, to be completed by {due}. For progress, call 95598.</translation>
    </message>
    <message>
        <source>短信告知已记录在工单上</source>
        <translation type="vanished">The SMS notice has been recorded on the ticket</translation>
    </message>
    <message>
        <source>户号：</source>
        <translation type="vanished">Account number:</translation>
    </message>
    <message>
        <source>受理渠道：</source>
        <translation type="vanished">Channel:</translation>
    </message>
    <message>
        <source>受理时间：</source>
        <translation type="vanished">Accepted at:</translation>
    </message>
    <message>
        <source>承诺办结时限：</source>
        <translation type="vanished">Promised completion by:</translation>
    </message>
    <message>
        <source>{due}（暂定）</source>
        <translation type="vanished">{due} (provisional)</translation>
    </message>
    <message>
        <source>受理人：</source>
        <translation type="vanished">Accepted by:</translation>
    </message>
    <message>
        <source>已收材料：</source>
        <translation type="vanished">Materials received:</translation>
    </message>
    <message>
        <source>诉求内容：</source>
        <translation type="vanished">Request:</translation>
    </message>
    <message>
        <source>凭工单编号或扫描二维码查询办理进度。</source>
        <translation type="vanished">Check progress with the ticket number or by scanning the QR code.</translation>
    </message>
    <message>
        <source>供电服务热线：95598（24小时）</source>
        <translation type="vanished">Power service hotline: 95598 (24 hours)</translation>
    </message>
    <message>
        <source>该年度节假日安排尚未公布，时限按工作日暂定，以正式通知为准。</source>
        <translation type="vanished">That year&apos;s public holidays are not yet published: the time limit counts weekdays for now and is subject to the official notice.</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>受理回执</source>
        <translation>Acceptance receipt</translation>
    </message>
    <message>
        <source>无法保存受理回执：{reason}</source>
        <translation type="vanished">Could not save the acceptance receipt: {reason}</translation>
    </message>
    <message>
        <source>受理回执已保存：{path}</source>
        <translation type="vanished">Acceptance receipt saved: {path}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>打印机无法开始打印</source>
        <translation>The printer could not start printing</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>受理回执 - 打印预览</source>
        <translation>Acceptance receipt - Print preview</translation>
    </message>
</context>
<context>
    <name>IntakeDonePage</name>
    <message>
        <location filename="../../desktop/frontdesk/intake_done.py" line="+67"/>
        <source>正在取得正式工单编号，回执将使用正式编号…</source>
        <translation>Getting the final ticket number; the receipt will carry it…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>打印回执(&amp;P)…</source>
        <translation>&amp;Print receipt…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>打印受理回执</source>
        <translation>Print the acceptance receipt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>打印预览(&amp;V)…</source>
        <translation>Print pre&amp;view…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理回执打印预览</source>
        <translation>Print preview of the acceptance receipt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存为PDF(&amp;S)…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存受理回执PDF</source>
        <translation>Save the acceptance receipt as PDF</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>短信告知工单编号(&amp;M)</source>
        <translation>Send the ticket number by S&amp;MS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>以短信告知来电人工单编号</source>
        <translation>Send the caller the ticket number by SMS</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>完成(&amp;D)</source>
        <translation>&amp;Done</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>没有可接收短信的手机号码</source>
        <translation>No mobile number to send an SMS to</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已受理：{type}</source>
        <translation>Accepted: {type}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>工单编号：{number}</source>
        <translation>Ticket number: {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>工单编号：{number}（临时编号，联网同步后分配正式编号）</source>
        <translation>Ticket number: {number} (provisional; the final number is assigned when the desk syncs)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>查询码：{code}（客户凭此查询办理进度）</source>
        <translation>Lookup code: {code} (the customer follows the request&apos;s progress with it)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>承诺办结时限：{due}（暂定：该年度节假日安排尚未公布）</source>
        <translation>Promised completion by: {due} (provisional: that year&apos;s public holidays are not yet published)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>承诺办结时限：{due}</source>
        <translation>Promised completion by: {due}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>（临时编号 {provisional} 已由正式编号取代，两个编号均可查询）</source>
        <translation>(The provisional number {provisional} has been replaced by the final number; both can be searched)</translation>
    </message>
    <message>
        <source>您的{type}已受理，工单编号{number}，承诺{due}前办结。进度查询请拨打95598。</source>
        <translation type="vanished">Your {type} has been accepted, ticket number {number}, to be completed by {due}. For progress, call 95598.</translation>
    </message>
    <message>
        <source>短信告知已记录在工单上</source>
        <translation type="vanished">The SMS notice has been recorded on the ticket</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>已发送</source>
        <translation>sent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>发送失败（{reason}）</source>
        <translation>not sent ({reason})</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>原因不明</source>
        <translation>reason unknown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待发送</source>
        <translation>waiting to be sent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待发送（联网同步后由服务器发送）</source>
        <translation>waiting to be sent (the server sends it once the desk syncs)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>短信告知工单编号（{phone}）：{state}</source>
        <translation>Ticket number by SMS ({phone}): {state}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>短信告知已提交：服务器将以正式工单编号发送，结果显示在此处</source>
        <translation>SMS requested: the server sends it with the final ticket number; the outcome shows here</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>工单编号：</source>
        <translation>Ticket number:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>编号状态：</source>
        <translation>Number status:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>临时编号，联网同步后分配正式编号，两个编号均可查询</source>
        <translation>Provisional number; the final number is assigned when the desk syncs, and both numbers can be searched</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>查询码：</source>
        <translation>Lookup code:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>业务类型：</source>
        <translation>Request type:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>匿名</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>客户：</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户号：</source>
        <translation>Account number:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理渠道：</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理时间：</source>
        <translation>Accepted at:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>承诺办结时限：</source>
        <translation>Promised completion by:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{due}（暂定）</source>
        <translation>{due} (provisional)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理人：</source>
        <translation>Accepted by:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已收材料：</source>
        <translation>Materials received:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>诉求内容：</source>
        <translation>Request:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>扫描右侧二维码查询办理进度，或访问以下网址输入查询码：</source>
        <translation>Scan the QR code on the right to follow your request, or open this address and enter the lookup code:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>凭工单编号拨打95598查询办理进度。</source>
        <translation>Call 95598 with the ticket number to ask about progress.</translation>
    </message>
    <message>
        <source>凭工单编号或扫描二维码查询办理进度。</source>
        <translation type="vanished">Check progress with the ticket number or by scanning the QR code.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>供电服务热线：95598（24小时）</source>
        <translation>Power service hotline: 95598 (24 hours)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>该年度节假日安排尚未公布，时限按工作日暂定，以正式通知为准。</source>
        <translation>That year&apos;s public holidays are not yet published: the time limit counts weekdays for now and is subject to the official notice.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理回执</source>
        <translation>Acceptance receipt</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../desktop/frontdesk/intake_form.py" line="+60"/>
        <source>放弃受理？</source>
        <translation>Discard this request?</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>表单已填写的内容将丢失。确定放弃吗？</source>
        <translation>What was entered in the form will be lost. Discard it?</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>表单尚未受理。已填写的内容将保留为本次接待的草稿，再次受理此客户的业务时恢复。确定关闭吗？</source>
        <translation>The request has not been accepted. What you entered is kept as a draft for this visit and comes back when you open a new request for this customer. Close the form?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关闭受理？</source>
        <translation>Close the request?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>放弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>继续填写</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>户号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（不指定户号）</source>
        <translation>(no account number)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>诉求摘要</source>
        <translation>Summary of the request</translation>
    </message>
    <message>
        <source>（无客户：匿名受理）</source>
        <translation type="vanished">(no customer: anonymous request)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>（未选择客户）</source>
        <translation>(no customer chosen)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>客户：</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>业务类型(&amp;T)：</source>
        <translation>Request &amp;type:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户号(&amp;U)：</source>
        <translation>Acco&amp;unt number:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>诉求摘要(&amp;Y)：</source>
        <translation>Summar&amp;y:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>业务信息</source>
        <translation>Request details</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>申请材料（一套资料）</source>
        <translation>Application materials (one set)</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>（必需）</source>
        <translation>(required)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（可选）</source>
        <translation>(optional)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>此业务无需提交材料。</source>
        <translation>This request needs no materials.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>：</source>
        <translation>:</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../desktop/lock.py" line="-145"/>
        <source>桌面已锁定</source>
        <translation>Desk locked</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>当前登录：%1。请输入密码解锁。</source>
        <translation>Signed in: %1. Enter your password to unlock.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>退出登录，换人使用(&amp;O)</source>
        <translation>Sign &amp;out so someone else can sign in</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>请输入密码。</source>
        <translation>Enter your password.</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>密码不正确，还可尝试 %n 次。</source>
        <translation>
            <numerusform>Wrong password; %n more try left.</numerusform>
            <numerusform>Wrong password; %n more tries left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/login.py" line="+28"/>
        <source>此账号已停用，请联系管理员。</source>
        <translation>This account is disabled; please contact your administrator.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用户名或密码不正确。</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法连接服务器。</source>
        <translation>Cannot reach the server. </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>此账号从未在这台电脑上在线登录过，暂时不能离线登录；请在网络恢复后再试。</source>
        <translation>This account has never signed in online on this computer, so it cannot sign in offline; please try again when the network is back.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>此账号在这台电脑上最近一次在线登录已超过 %n 天，不能离线登录；请在网络恢复后再试。</source>
        <translation>
            <numerusform>This account last signed in online on this computer more than %n day ago, so it cannot sign in offline; please try again when the network is back.</numerusform>
            <numerusform>This account last signed in online on this computer more than %n days ago, so it cannot sign in offline; please try again when the network is back.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>离线登录密码不正确（以在这台电脑上最近一次在线登录时的密码为准）。</source>
        <translation>Wrong password for offline sign-in (it is the password of your last online sign-in on this computer).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法连接服务器，请检查网络或服务器地址（设置 → 服务器地址）。</source>
        <translation>Cannot reach the server; check the network or the server address (Settings → Server address).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>一窗通 — 登录</source>
        <translation>OneWindow — Sign in</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>请输入用户名和密码。</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在登录……</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>登录失败：程序出现意外错误。</source>
        <translation>Sign-in failed: the program hit an unexpected error.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="+45"/>
        <source>一窗通 OneWindow</source>
        <translation>OneWindow</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>功能区</source>
        <translation>Work areas</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>操作(&amp;A)</source>
        <translation>&amp;Actions</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>功能区(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>复制详情</source>
        <translation>Copy details</translation>
    </message>
</context>
<context>
    <name>MeetDialog</name>
    <message>
        <location filename="../../desktop/tickets/info_requests.py" line="-144"/>
        <source>确认已补齐</source>
        <translation>Mark as received</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>收到的材料或信息</source>
        <translation>Materials or information received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所索要的</source>
        <translation>Asked for</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>收到(&amp;N)</source>
        <translation>Rece&amp;ived</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <location filename="../../desktop/supervision/meeting_dialog.py" line="+77"/>
        <source>记录协调会议</source>
        <translation>Record coordination meeting</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>会议类型</source>
        <translation>Meeting type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日常协商</source>
        <translation>Daily coordination</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>周例会</source>
        <translation>Weekly meeting</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月调度</source>
        <translation>Monthly dispatch meeting</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>会议日期</source>
        <translation>Meeting date</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>会议名称</source>
        <translation>Meeting title</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>会议名称（不填则为会议类型）</source>
        <translation>Meeting title (the meeting type if left empty)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>会议事项</source>
        <translation>Meeting items</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上会</source>
        <translation>Discussed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>对所选事项督办…</source>
        <translation>Assign an action for the selected item…</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+33"/>
        <source>本次会议督办</source>
        <translation>Actions of this meeting</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>承办部门</source>
        <translation>Responsible department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办结期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+27"/>
        <source>会议决定</source>
        <translation>Decisions</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>保存会议</source>
        <translation>Save meeting</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>会议(&amp;M)</source>
        <translation>&amp;Meeting</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>会议清单（未办结督办在前）</source>
        <translation>Meeting list (open actions first)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>超期 %1 天</source>
        <translation>%1 days overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 前</source>
        <translation>by %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>【督办】%1（%2，%3）</source>
        <translation>[Action] %1 (%2, %3)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>请先在会议清单中选择一项。</source>
        <translation>Select an item of the meeting list first.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>该项已在督办中。</source>
        <translation>This item is already under supervision.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>协调：%1</source>
        <translation>Coordinate: %1</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>会议已记录：%1，督办 %2 项</source>
        <translation>Meeting recorded: %1, %2 actions assigned</translation>
    </message>
</context>
<context>
    <name>MeetingsList</name>
    <message>
        <location filename="../../desktop/supervision/meetings.py" line="+40"/>
        <source>会议记录</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>会议日期</source>
        <translation>Meeting date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>会议类型</source>
        <translation>Meeting type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>会议名称</source>
        <translation>Meeting title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上会事项</source>
        <translation>Items</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>督办</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>会议内容</source>
        <translation>Meeting record</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 项（未办结 %2）</source>
        <translation>%1 (%2 open)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>上会事项：</source>
        <translation>Items:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>会议决定：</source>
        <translation>Decisions:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>督办：</source>
        <translation>Actions:</translation>
    </message>
</context>
<context>
    <name>MonthlyPack</name>
    <message>
        <location filename="../../desktop/efficiency/monthly.py" line="+72"/>
        <source>服务效率月度分析 %1年%2月</source>
        <translation>Service efficiency monthly analysis %1-%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · 数据时间 %2 · 一窗通效能监控</source>
        <translation>%1 · figures of %2 · OneWindow efficiency monitor</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>未设定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>达标</source>
        <translation>met</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未达标</source>
        <translation>not met</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当前数</source>
        <translation>current count</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+48"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>达标情况</source>
        <translation>Target met</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>变化</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一、关键指标</source>
        <translation>1. Key indicators</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>关键指标</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>目标为本单位设定的目标，未设定时沿用预警规则的阈值；超期积压为当前数。</source>
        <translation>Targets are the office&apos;s own; where none is set, the alert rule&apos;s threshold applies. The overdue backlog is a count of now.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>二、按时办结率走势</source>
        <translation>2. On-time rate by day</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>走势</source>
        <translation>Trend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>按时办结率</source>
        <translation>On-time closing rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>按时办结率（%）</source>
        <translation>On-time rate (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当天没有到期办结的工单时无数据（不是 0%）。</source>
        <translation>A day on which no ticket with a deadline was closed has no figure (not 0 %).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>加权得分满分 5 分；权重：主责 %1 · 协作 %2 · 客户 %3。</source>
        <translation>Weighted score out of 5; weights: lead %1 · peer %2 · customer %3.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+45"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>加权得分</source>
        <translation>Weighted score</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>主责评价</source>
        <translation>Lead rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协作互评</source>
        <translation>Peer rating</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>客户评价</source>
        <translation>Customer rating</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>环节按时率</source>
        <translation>Stage on-time rate</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>各部门环节按时率（%）</source>
        <translation>Stage on-time rate by department (%)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>三、部门排名（多方评价）</source>
        <translation>3. Department ranking (multi-party evaluation)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门排名</source>
        <translation>Department ranking</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>切片</source>
        <translation>Slice</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+29"/>
        <source>工单数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+46"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>发生时间</source>
        <translation>Raised</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>解除说明</source>
        <translation>Resolution note</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>业务类型</source>
        <translation>Ticket type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用时中位（分钟）</source>
        <translation>Median working time (min)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>等待占比</source>
        <translation>Waiting share</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>占历时</source>
        <translation>Share of elapsed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>关键路径</source>
        <translation>Critical path</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>五、流程分析（本月办结工单最多的业务）</source>
        <translation>5. Process analysis (the types that closed most tickets this month)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>流程分析</source>
        <translation>Process analysis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本月没有办结的工单</source>
        <translation>No ticket closed this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按实际发生的环节事件统计（流程图）：可并行、可合并、等待占比高、返工多为数据给出的提示，取舍由分析会决定。</source>
        <translation>From the stage events that really happened (the process map): parallelise, merge, long waits and rework are hints from the data; the meeting decides.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+2"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>责任部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>截止日</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>超期天数</source>
        <translation>Days late</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>六、督办事项</source>
        <translation>6. Supervision actions (督办)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本月无督办事项</source>
        <translation>No supervision action this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未办结的督办全部列出（超期的在前），以及本月提出或办结的。</source>
        <translation>Every open action (the late ones first), and those raised or closed this month.</translation>
    </message>
    <message>
        <source>处理说明</source>
        <translation type="vanished">Note</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>四、异常预警</source>
        <translation>4. Anomaly alerts</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>异常预警</source>
        <translation>Anomaly alerts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本月无异常预警</source>
        <translation>No anomaly alert this month</translation>
    </message>
</context>
<context>
    <name>MonthlyReport</name>
    <message>
        <location filename="../../desktop/power_quality/monthly.py" line="+34"/>
        <source>电能质量月度报告 %1年%2月</source>
        <translation>Power-quality report, %2/%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>客户：%1 · 供电单位：%2 · 限值版本 %3 · 生成于 %4</source>
        <translation>Customer: %1 · Supplier: %2 · Limits version %3 · Produced %4</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>全部达标</source>
        <translation>All within limits</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 项未达标</source>
        <translation>%1 not within limits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 次（已消除 %2 次）</source>
        <translation>%1 (%2 cleared)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+25"/>
        <location line="+25"/>
        <location line="+16"/>
        <source>监测点</source>
        <translation>Monitoring point</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>电压等级</source>
        <translation>Voltage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>应有数据（10分钟）</source>
        <translation>Expected (10-minute intervals)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>实收数据</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据完整率</source>
        <translation>Completeness</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>指标结论</source>
        <translation>Indices</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>持续越限预警</source>
        <translation>Persistent excursion warnings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本月监测点 %1 个，未达标指标 %2 项，持续越限预警 %3 次，其中已治理消除 %4 次。</source>
        <translation>This month: %1 monitoring points, %2 indices not within limits, %3 persistent-excursion warnings, %4 of them cleared by governance. </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>一、监测概况</source>
        <translation>1. Monitoring overview</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>监测概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>该客户本月没有监测点</source>
        <translation>The customer had no monitoring point this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每个监测点按10分钟统计值评价；指标结论依据第二部分。</source>
        <translation>Each point is judged on its 10-minute aggregates; the indices are in part 2.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>（合同约定，严于国家标准）</source>
        <translation> (contract, tighter than the standard)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（条款暂定）</source>
        <translation> (clause provisional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>95%概率值</source>
        <translation>95 % value</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>每个统计值</source>
        <translation>Every value</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>达标</source>
        <translation>met</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未达标</source>
        <translation>not met</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+25"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>限值</source>
        <translation>Limit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>评价方式</source>
        <translation>Judged by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最大值</source>
        <translation>Maximum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合格率</source>
        <translation>Within limit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>二、各项指标达标情况</source>
        <translation>2. Compliance per index</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>达标情况</source>
        <translation>Target met</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本月没有监测数据</source>
        <translation>No monitoring data this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按国家标准评价：标明“95%概率值”的指标以本月统计值的95%概率大值（下限取5%）与限值比较，其余指标要求每个统计值都在限值内；谐波分次含有率取各时段最大的一次。合格率为在限值内的统计值所占比例。</source>
        <translation>Judged as the national standards say: an index marked &quot;95 % value&quot; compares the month&apos;s 95 % probability value (5 % for a lower bound) with the limit; the others require every value within the limit; individual harmonics take each interval&apos;s worst order. &quot;Within limit&quot; is the share of values within the limit.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1/%2 个10分钟</source>
        <translation>%1 of %2 ten-minute intervals</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已消除 %1</source>
        <translation>Cleared %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>治理中</source>
        <translation>Under governance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>最大值 / 限值</source>
        <translation>Worst / limit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>越限时段</source>
        <translation>When</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>越限次数</source>
        <translation>Outside</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>预警时间</source>
        <translation>Warning time</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+27"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+27"/>
        <source>治理工单</source>
        <translation>Governance tickets</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>三、越限与预警</source>
        <translation>3. Excursions and warnings</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>越限与预警</source>
        <translation>Excursions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本月没有持续越限</source>
        <translation>No persistent excursion this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同一指标在最近若干个10分钟中多次越限（持续越限）即发出预警并启动治理；治理完成且效果验证通过后预警消除。</source>
        <translation>An index outside its limit in several of its latest 10-minute intervals (a persistent excursion) raises a warning and starts governance; the warning is cleared once governance is done and its effect verified.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>残余电压</source>
        <translation>Residual voltage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>持续时间</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>次数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>四、电压暂降统计（GB/T 30137-2013）</source>
        <translation>4. Voltage sags (GB/T 30137-2013)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电压暂降</source>
        <translation>Voltage sags</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本月无电压暂降</source>
        <translation>No voltage sag this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按残余电压和持续时间分档计数；标准对暂降次数不设限值。</source>
        <translation>Counted by residual voltage and duration; the standard sets no limit on the number of sags.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>完成时间</source>
        <translation>Completed at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>五、治理措施</source>
        <translation>5. Governance actions</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>治理措施</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本月没有治理工单</source>
        <translation>No governance ticket this month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>监测诊断 → 原因分析 → 治理方案 → 实施 → 效果验证，由运检、营销部门办理。</source>
        <translation>Monitoring diagnosis → cause analysis → governance plan → implementation → effect verification, worked by Operations and Marketing.</translation>
    </message>
</context>
<context>
    <name>NewCallerForm</name>
    <message>
        <location filename="../../desktop/frontdesk/screen_pop.py" line="+23"/>
        <source>新来电客户</source>
        <translation>New caller</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>户名</source>
        <translation>Account name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>用电地址</source>
        <translation>Supply address</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>户名(&amp;N)</source>
        <translation>Account &amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系电话(&amp;P)</source>
        <translation>Contact &amp;phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用电地址(&amp;A)</source>
        <translation>Supply &amp;address</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登记新客户(&amp;S)</source>
        <translation>Register new customer (&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查找已有客户(&amp;F)</source>
        <translation>&amp;Find existing customer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>在客户查询中查找来电人</source>
        <translation>Look the caller up in the customer search</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>匿名受理(&amp;U)</source>
        <translation>Accept anonymo&amp;usly</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不登记客户，匿名受理来电诉求</source>
        <translation>Accept the caller&apos;s request anonymously, without registering a customer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>来电号码未登记。请记录来电客户，之后可为其受理业务；也可按其他信息查找已有客户，或匿名受理：</source>
        <translation>The calling number is not on file. Record the caller to accept requests for them; or look for an existing customer by other details, or accept anonymously:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>来电，登记为新客户</source>
        <translation>Call; registered as a new customer</translation>
    </message>
    <message>
        <source>来电号码未登记。请记录来电客户，之后可为其受理业务：</source>
        <translation type="vanished">The caller&apos;s number is not on file. Record the caller, then you can accept requests for them:</translation>
    </message>
</context>
<context>
    <name>OpenTicketsModel</name>
    <message>
        <location filename="../../desktop/frontdesk/card_models.py" line="+86"/>
        <source>{number}（临时）</source>
        <translation>{number} (provisional)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{due}（暂定）</source>
        <translation>{due} (provisional)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已停止计时</source>
        <translation>Clock stopped</translation>
    </message>
    <message>
        <source>已停止计时（超时{late}）</source>
        <translation type="vanished">Clock stopped ({late} late)</translation>
    </message>
    <message>
        <source>已停止计时（按时）</source>
        <translation type="vanished">Clock stopped (on time)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>承诺时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>剩余时间</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>时限状态</source>
        <translation>Timeliness</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <location filename="../../desktop/operations.py" line="+93"/>
        <source>同步出现意外错误，稍后自动重试。</source>
        <translation>Sync hit an unexpected error; it will try again shortly.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>操作失败：程序出现意外错误。</source>
        <translation>The operation failed: the program hit an unexpected error.</translation>
    </message>
</context>
<context>
    <name>OutageBoard</name>
    <message>
        <location filename="../../desktop/outage/board.py" line="+59"/>
        <source>停电抢修</source>
        <translation>Outage repair</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>停电事件</source>
        <translation>Outage events</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>应急联动任务</source>
        <translation>Emergency linkage tasks</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>预案任务</source>
        <translation>Plan tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+91"/>
        <source>确认停电事件(&amp;C)</source>
        <translation>&amp;Confirm the outage</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>已复电(&amp;R)</source>
        <translation>Power &amp;restored</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>撤销…(&amp;X)</source>
        <translation>Call off…(&amp;X)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>计划停电…(&amp;P)</source>
        <translation>Planned outage…(&amp;P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登记计划检修或临时检修停电：范围、时间、原因</source>
        <translation>Register a planned or temporary maintenance outage: area, window, reason</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>当前没有停电事件</source>
        <translation>No outage at present</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>响应级别 %1</source>
        <translation>Response level %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未确认，预案未启动</source>
        <translation>Not confirmed: the plan has not started</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>计划 %1 至 %2，开始后启动预案</source>
        <translation>Planned %1 to %2; the plan starts when the outage begins</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>开始停电(&amp;S)</source>
        <translation>Begin outage(&amp;S)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1：%2（时限 %3）</source>
        <translation>%1: %2 (due %3)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> — 已超时 %1 分钟</source>
        <translation> — %1 min late</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>开始计划停电</source>
        <translation>Begin the planned outage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>这次停电计划于 %1 开始，现在还早。确定现在就开始停电吗？</source>
        <translation>This outage is planned to begin at %1, which is still ahead. Begin the outage now?</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>计划停电已登记，待同步到服务器</source>
        <translation>The planned outage is registered and waits to sync to the server</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>撤销计划停电</source>
        <translation>Call off the planned outage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>撤销停电研判</source>
        <translation>Dismiss the predicted outage</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>计划停电已开始，预案任务将由服务器开启</source>
        <translation>The planned outage has begun; the server opens the plan&apos;s tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已确认停电事件，预案任务将由服务器开启</source>
        <translation>Outage confirmed; the server opens the plan&apos;s tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已报告复电</source>
        <translation>Restoration reported</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已撤销</source>
        <translation>Called off</translation>
    </message>
</context>
<context>
    <name>OutageEventsModel</name>
    <message>
        <location filename="../../desktop/outage/model.py" line="+30"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>停电范围</source>
        <translation>Area</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>停电户数</source>
        <translation>Accounts out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重要客户</source>
        <translation>Important customers</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来电</source>
        <translation>Call</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>预计恢复</source>
        <translation>Expected back</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>持续</source>
        <translation>Lasting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>响应级别</source>
        <translation>Response level</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>计划停电</source>
        <translation>Planned outage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>临时检修</source>
        <translation>Temporary maintenance</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>故障停电</source>
        <translation>Fault outage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>研判中</source>
        <translation>Being assessed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已计划</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>停电中</source>
        <translation>Power out</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>%1 次 / %2 户</source>
        <translation>%1 calls / %2 customers</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未开始</source>
        <translation>Not begun</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 小时 %2 分</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 分钟</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待定</source>
        <translation>not known yet</translation>
    </message>
</context>
<context>
    <name>OutageNotice</name>
    <message>
        <location filename="../../desktop/frontdesk/outage_notice.py" line="+30"/>
        <source>停电提示</source>
        <translation>Outage notice</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+36"/>
        <source>关联到此停电事件(&amp;L)</source>
        <translation>&amp;Link to this outage</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>把这次来电关联到停电事件，不另派抢修工单</source>
        <translation>Link this call to the outage instead of a new repair ticket</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>待定</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（研判中）</source>
        <translation> (being assessed)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您所在区域有停电{state}：{reason}；预计恢复时间：{estimate}</source>
        <translation>Power is out in your area{state}: {reason}; expected back: {estimate}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原因待查</source>
        <translation>cause under investigation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已关联到停电事件</source>
        <translation>Linked to the outage</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>来电已关联到停电事件，不另派抢修工单</source>
        <translation>The call is linked to the outage; no separate repair ticket</translation>
    </message>
</context>
<context>
    <name>OutageStrip</name>
    <message>
        <location filename="../../desktop/frontdesk/outage_strip.py" line="+35"/>
        <source>停电来电高峰</source>
        <translation>Outage call surge</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>停电来电高峰：近 %1 分钟 %2 个停电来电，%3 起停电事件。来电在下列范围内的，直接关联，不另派工单</source>
        <translation>Outage call surge: %2 outage calls in the last %1 min, %3 outage events. Link a call from these areas directly instead of a new repair ticket</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>待定</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1：%2；预计恢复 %3；已来电 %4 次</source>
        <translation>%1: %2; restoration expected %3; %4 calls so far</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关联当前来电</source>
        <translation>Link the current call</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>把当前来电关联到：%1</source>
        <translation>Link the current call to: %1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>来电已关联到停电事件，不另派抢修工单</source>
        <translation>The call is linked to the outage; no separate repair ticket</translation>
    </message>
</context>
<context>
    <name>PendingWrapUp</name>
    <message>
        <location filename="../../desktop/frontdesk/call_bar.py" line="+28"/>
        <source>待小结的来电</source>
        <translation>Call awaiting wrap-up</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>待小结 来电 %1</source>
        <translation>Wrap-up due: call from %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未知号码</source>
        <translation>unknown number</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 来电</source>
        <translation>came in %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 来电，通话 %2</source>
        <translation>came in %1, talk time %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>完成小结</source>
        <translation>Finish wrap-up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>记录这通来电的话后小结</source>
        <translation>Record this call&apos;s wrap-up</translation>
    </message>
</context>
<context>
    <name>PlannedOutageDialog</name>
    <message>
        <location filename="../../desktop/outage/plan_dialog.py" line="+43"/>
        <source>计划停电</source>
        <translation>Planned outage</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>停电类型</source>
        <translation>Outage kind</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>停电范围</source>
        <translation>Area</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户数</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>开始时间</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束时间</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>停电原因</source>
        <translation>Reason for the outage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>坐席会把原因告诉来电客户</source>
        <translation>Agents tell callers this reason</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>类型(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>停电范围(&amp;A)</source>
        <translation>&amp;Area</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开始(&amp;S)</source>
        <translation>&amp;Starts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束(&amp;E)</source>
        <translation>&amp;Ends</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>停电户数 %1，其中重要客户 %2</source>
        <translation>%1 accounts without power, %2 of them important customers</translation>
    </message>
</context>
<context>
    <name>PowerQuality</name>
    <message>
        <location filename="../../desktop/power_quality/data.py" line="+29"/>
        <location line="+26"/>
        <source>电压总谐波畸变率 THD</source>
        <translation>Voltage THD</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>电压偏差 A相</source>
        <translation>Voltage deviation, phase A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电压偏差 B相</source>
        <translation>Voltage deviation, phase B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电压偏差 C相</source>
        <translation>Voltage deviation, phase C</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>三相电压不平衡度</source>
        <translation>Three-phase voltage unbalance</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>长时闪变 Plt</source>
        <translation>Long-term flicker Plt</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>频率偏差</source>
        <translation>Frequency deviation</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>供电电压偏差</source>
        <translation>Supply voltage deviation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>谐波</source>
        <translation>Harmonics</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>上限</source>
        <translation>upper limit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下限</source>
        <translation>lower limit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正、负偏差绝对值之和</source>
        <translation>: sum of positive and negative deviations</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>奇次谐波电压含有率</source>
        <translation>Odd harmonic voltage content</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偶次谐波电压含有率</source>
        <translation>Even harmonic voltage content</translation>
    </message>
</context>
<context>
    <name>PowerQualityArea</name>
    <message>
        <location filename="../../desktop/power_quality/area.py" line="+73"/>
        <source>电能质量</source>
        <translation>Power quality</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>时段</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最近24小时</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最近7天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最近一年</source>
        <translation>Last year</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+50"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>报告月份</source>
        <translation>Report month</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>月度报告(&amp;M)…</source>
        <translation>&amp;Monthly report…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>所选客户该月的电能质量报告（PDF）</source>
        <translation>The chosen customer&apos;s power-quality report for the month (PDF)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>重要客户与监测点</source>
        <translation>Important customers and monitoring points</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重要客户 / 监测点</source>
        <translation>Customer / monitoring point</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电压等级</source>
        <translation>Voltage</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+15"/>
        <location line="+4"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>最新数据</source>
        <translation>Latest data</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+9"/>
        <source>越限记录</source>
        <translation>Excursions</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>最大值 / 限值</source>
        <translation>Worst / limit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>越限时段</source>
        <translation>When</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <location line="+6"/>
        <source>治理工单</source>
        <translation>Governance tickets</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>概要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当前环节</source>
        <translation>Current stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>趋势与限值</source>
        <translation>Trend and limits</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>未连接服务器</source>
        <translation>not connected to the server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法读取电能质量数据（%1），本机也没有保存过快照。</source>
        <translation>Cannot read power-quality data (%1), and this desk has no saved snapshot.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>电能质量：无法连接服务器，显示本机保存的快照。</source>
        <translation>Power quality: cannot reach the server; showing the snapshot saved on this desk.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>离线：显示 %1 保存的快照</source>
        <translation>Offline: showing the snapshot saved at %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>数据时间 %1 · 监测点 %2 个，越限预警 %3 个</source>
        <translation>Data as of %1 · %2 monitoring points, %3 in warning</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>越限预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+71"/>
        <location line="+90"/>
        <source>（合同限值）</source>
        <translation> (contract limit)</translation>
    </message>
    <message>
        <location line="-89"/>
        <location line="+91"/>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>%1 至 %2，%3/%4 个10分钟越限</source>
        <translation>%1 to %2, %3 of %4 ten-minute intervals outside</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>预警中</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已关闭 %1</source>
        <translation>Closed %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>（已结束）</source>
        <translation>(finished)</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+27"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>治理工单（%1）</source>
        <translation>Governance tickets (%1)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>限值 %1 · %2</source>
        <translation>Limit %1 · %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>请先选择一个重要客户的监测点。</source>
        <translation>Choose an important customer&apos;s monitoring point first.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>保存电能质量月度报告</source>
        <translation>Save the monthly power-quality report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>未连接服务器，月度报告须在线生成。</source>
        <translation>Not connected to the server: the monthly report is made online.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在写入月度报告…</source>
        <translation>Writing the monthly report…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在读取 %1 的数据…</source>
        <translation>Reading the figures of %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已生成月度报告：%1</source>
        <translation>Monthly report written: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电能质量月度报告已保存：%1</source>
        <translation>Power-quality report saved: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>月度报告未能生成。</source>
        <translation>The monthly report could not be made.</translation>
    </message>
</context>
<context>
    <name>ProcessMapGraph</name>
    <message>
        <location filename="../../desktop/efficiency/process_map.py" line="+151"/>
        <source>占历时 %1</source>
        <translation>%1 of elapsed time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>均 %1 · %2 件</source>
        <translation>Mean %1 · %2 tickets</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>等待占比 %1</source>
        <translation>Waiting %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关键路径上的工单 %1</source>
        <translation>On the critical path in %1 of tickets</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 件</source>
        <translation>%1 tickets</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>等 %1</source>
        <translation>waits %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>紫色粗框：多数工单的关键路径&#x3000;箭头：交接件数与平均等待&#x3000;红色虚线：返工</source>
        <translation>Thick purple frame: critical path of most tickets   Arrow: handoffs and mean waiting   Red dashes: rework</translation>
    </message>
</context>
<context>
    <name>ProcessMapView</name>
    <message>
        <location line="-123"/>
        <source>可并行</source>
        <translation>Can run in parallel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与「%1」互不依赖，却在 %2 的工单里等它办完才开始</source>
        <translation>Does not depend on “%1”, yet waited for it to finish in %2 of the tickets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可合并</source>
        <translation>Can be merged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同一部门从「%1」接手，本环节用时中位数仅占历时的 %2</source>
        <translation>Taken over from “%1” by the same department; its median time is only %2 of the elapsed time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>等待占比高</source>
        <translation>Mostly waiting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本环节 %2 的时间在等待接单</source>
        <translation>%2 of this stage&apos;s time is spent waiting to be taken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>返工多</source>
        <translation>Frequent rework</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%2 的工单在本环节被回退</source>
        <translation>Sent back at this stage in %2 of the tickets</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+430"/>
        <source>回退 %1 次</source>
        <translation>Sent back %1 times</translation>
    </message>
    <message>
        <location line="-429"/>
        <location line="+430"/>
        <source>回访退回 %1 次</source>
        <translation>Sent back from the return visit %1 times</translation>
    </message>
    <message>
        <location line="-429"/>
        <location line="+430"/>
        <source>重启 %1 次</source>
        <translation>Reopened %1 times</translation>
    </message>
    <message>
        <location line="-198"/>
        <location line="+26"/>
        <source>流程图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+8"/>
        <source>业务类型</source>
        <translation>Ticket type</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>流程变体</source>
        <translation>Process variants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>变体（实际经过的环节）</source>
        <translation>Variant (stages actually taken)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>件数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>平均历时</source>
        <translation>Mean elapsed</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>未连接服务器：流程图需要在线读取。</source>
        <translation>Not connected to the server: the process map is read online.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>无法读取流程图（%1）。</source>
        <translation>Could not read the process map (%1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法读取流程图。</source>
        <translation>Could not read the process map.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 分钟</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 个工作日</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>该时段没有办结的「%1」工单。</source>
        <translation>No “%1” ticket was closed in this period.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有可画的流程。</source>
        <translation>Nothing to draw.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>按办结时间：%1 件</source>
        <translation>By closing date: %1 tickets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>变体 %1 个</source>
        <translation>%1 variants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>平均历时 %1</source>
        <translation>mean elapsed %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>共办结 %1 件，只画最近办结的 %2 件</source>
        <translation>%1 closed; only the %2 most recently closed are drawn</translation>
    </message>
</context>
<context>
    <name>ProposalDialog</name>
    <message>
        <location filename="../../desktop/dispatch/proposal.py" line="+97"/>
        <source>自动派工方案</source>
        <translation>Auto-dispatch proposal</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>方案中的派工</source>
        <translation>Bookings in the proposal</translation>
    </message>
    <message>
        <source>派工 %1 单，未派 %2 单；目标值 %3（未派 %4，时限 %5，路程 %6，均衡 %7）</source>
        <translation type="vanished">%1 dispatched, %2 not dispatched; objective %3 (not dispatched %4, time limit %5, travel %6, balance %7)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>未派工的勘查单及原因</source>
        <translation>Surveys not dispatched, and why</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>全部接受</source>
        <translation>Accept all</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>接受方案</source>
        <translation>Accept the proposal</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>放弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>取消勾选可调整方案，再点「全部接受」：</source>
        <translation>Untick bookings to adjust the proposal, then click “Accept all”:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未派工：</source>
        <translation>Not dispatched:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>派工 %1 单，未派 %2 单</source>
        <translation>%1 surveys assigned, %2 left unassigned</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>；每位勘查员 %1 单</source>
        <translation>; %1 per surveyor</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>；%1 单将超过办理时限</source>
        <translation>; %1 would finish past the due time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>。</source>
        <translation>.</translation>
    </message>
</context>
<context>
    <name>ProposalModel</name>
    <message>
        <location line="-102"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>勘查员</source>
        <translation>Surveyor</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop/tickets/task_dialogs.py" line="-52"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>ReceiptActions</name>
    <message>
        <source>短信告知工单编号（{phone}）：{text}</source>
        <translation type="vanished">Ticket number sent by SMS ({phone}): {text}</translation>
    </message>
    <message>
        <location filename="../../desktop/frontdesk/receipt_actions.py" line="+170"/>
        <source>无法打印受理回执：{reason}</source>
        <translation>Could not print the acceptance receipt: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理回执已发送到打印机</source>
        <translation>The acceptance receipt was sent to the printer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>无法保存受理回执：{reason}</source>
        <translation>Could not save the acceptance receipt: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>受理回执已保存：{path}</source>
        <translation>Acceptance receipt saved: {path}</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../../desktop/frontdesk/receipt_print.py" line="+11"/>
        <source>适应宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>适应页面</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纵向</source>
        <translation>Portrait</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>横向</source>
        <translation>Landscape</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第一页</source>
        <translation>First page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最后一页</source>
        <translation>Last page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单页显示</source>
        <translation>Show single page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>对页显示</source>
        <translation>Show facing pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示全部页面</source>
        <translation>Show all pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>页面设置</source>
        <translation>Page setup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
</context>
<context>
    <name>ResultDialog</name>
    <message>
        <location filename="../../desktop/supervision/panel.py" line="-268"/>
        <source>办结督办</source>
        <translation>Close the supervision action</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理结果(&amp;R)</source>
        <translation>&amp;Result</translation>
    </message>
</context>
<context>
    <name>ReturnVisitDialog</name>
    <message>
        <location filename="../../desktop/tickets/task_dialogs.py" line="+67"/>
        <source>回访与评价</source>
        <translation>Return visit and rating</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回访结果</source>
        <translation>Return visit outcome</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>回访结果(&amp;V)</source>
        <translation>Return &amp;visit outcome</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>客户满意度</source>
        <translation>Customer satisfaction</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+10"/>
        <source>未评</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+10"/>
        <source> 分</source>
        <translation> / 5</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>客户满意度(&amp;S)</source>
        <translation>Customer &amp;satisfaction</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>主责评价：%1</source>
        <translation>Lead department&apos;s rating: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回访说明</source>
        <translation>Return visit notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明(&amp;C)</source>
        <translation>&amp;Comments</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="+46"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>留空：使用本机内置服务</source>
        <translation>Leave empty to use the built-in local server</translation>
    </message>
    <message>
        <source>形如 http://主机名:8600。修改服务器地址将在下次启动时生效。</source>
        <translation type="vanished">Like http://hostname:8600. A new server address takes effect at the next start.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>形如 http://主机名:8600。保存新地址后立即连接该服务器（需重新登录），无需重启。</source>
        <translation>Like http://hostname:8600. A new address connects at once after saving (sign in again); no restart needed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>配色</source>
        <translation>Colour scheme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>无操作锁屏分钟数</source>
        <translation>Minutes of inactivity before the desk locks</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>离线登录有效天数</source>
        <translation>Days offline sign-in stays allowed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>服务器地址(&amp;B)</source>
        <translation>Ser&amp;ver address</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>界面语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>配色(&amp;T)</source>
        <translation>Colour &amp;theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无操作锁屏(&amp;M)</source>
        <translation>Loc&amp;k after inactivity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>离线登录有效期(&amp;D)</source>
        <translation>Offline sign-in allowe&amp;d for</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <location line="+18"/>
        <source>快捷键</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>「%1」的快捷键</source>
        <translation>Shortcut for “%1”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>恢复默认快捷键(&amp;R)</source>
        <translation>&amp;Restore default shortcuts</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>服务器地址已保存，将在下次启动时生效。</source>
        <translation type="vanished">Server address saved; it takes effect at the next start.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>界面语言已切换：此后打开的窗口使用新语言，重新启动后全部生效。</source>
        <translation>Language switched: windows opened from now on use it, and everything does after a restart.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>界面语言已保存，但本机没有该语言的译文，界面仍显示中文。</source>
        <translation>Language saved, but this computer has no translation for it, so the interface stays in Chinese.</translation>
    </message>
</context>
<context>
    <name>StageGraphView</name>
    <message>
        <location filename="../../desktop/tickets/stage_graph.py" line="+69"/>
        <source>流程图</source>
        <translation>Workflow</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation type="vanished">Done</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation type="vanished">In progress</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>超时</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>等待前置环节</source>
        <translation>Waiting for earlier stages</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation type="vanished">Cancelled</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>完成于 %1</source>
        <translation>Done at %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>等%1 %2</source>
        <translation>Waiting %2 for %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>时限 %1</source>
        <translation>Due %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已等待 %1</source>
        <translation>Waited %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>原因：%1</source>
        <translation>Reason: %1</translation>
    </message>
</context>
<context>
    <name>SuggestionModel</name>
    <message>
        <location filename="../../desktop/dispatch/suggestion_model.py" line="+24"/>
        <source>勘查员</source>
        <translation>Surveyor</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最早开始</source>
        <translation>Earliest start</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>推荐度</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>得分</source>
        <translation type="vanished">Score</translation>
    </message>
</context>
<context>
    <name>SupervisionDialog</name>
    <message>
        <location filename="../../desktop/supervision/panel.py" line="+296"/>
        <source>督办事项</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>会议记录</source>
        <translation>Meetings</translation>
    </message>
</context>
<context>
    <name>SurveyorTimeline</name>
    <message>
        <location filename="../../desktop/dispatch/timeline.py" line="+85"/>
        <source>勘查员日程</source>
        <translation>Surveyors&apos; schedule</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../desktop/status_bar.py" line="+21"/>
        <source>同步状态</source>
        <translation>Sync status</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>重新登录以继续同步</source>
        <translation>Sign in again to keep syncing</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>冲突收件箱</source>
        <translation>Conflicts inbox</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>○ 离线</source>
        <translation>○ Offline</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>待上传 %n 条</source>
        <translation>
            <numerusform>%n change to upload</numerusform>
            <numerusform>%n changes to upload</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从未</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上次同步 %1</source>
        <translation>Last sync %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>冲突 %n 条</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%1 的 %n 条修改等其本人在本机登录后上传</source>
        <translation>
            <numerusform>%1&apos;s %n change waits for them to sign in on this desk</numerusform>
            <numerusform>%1&apos;s %n changes wait for them to sign in on this desk</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>另有 %n 人</source>
        <translation>
            <numerusform>and %n other</numerusform>
            <numerusform>and %n others</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <location filename="../../desktop/efficiency/targets.py" line="+33"/>
        <source>设定目标</source>
        <translation>Set targets</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1的目标</source>
        <translation>Target of %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> 件</source>
        <translation> tickets</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> 分</source>
        <translation> / 5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 个工作日</source>
        <translation> working days</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 件/千件</source>
        <translation> per 1,000</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> 次</source>
        <translation> trips</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>不低于</source>
        <translation>at least</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>不高于</source>
        <translation>at most</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>未设定时沿用预警阈值 %1</source>
        <translation>When unset, the alert threshold %1 applies</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>目标按本单位保存，所有人看到同样的目标；不触发预警。</source>
        <translation>Targets are kept for the office: everyone sees the same ones. They raise no alerts.</translation>
    </message>
</context>
<context>
    <name>TicketActions</name>
    <message>
        <location filename="../../desktop/tickets/ticket_actions.py" line="+67"/>
        <source>接办</source>
        <translation>Take on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>完成</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>回退</source>
        <translation>Send back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转派</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>升级</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>取消</source>
        <translation>Cancel stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新开放</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>开始办理</source>
        <translation>Start work</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转待回访</source>
        <translation>Ready for return visit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办结</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤销</source>
        <translation>Cancel ticket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>重启</source>
        <translation>Reopen ticket</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>退回重办</source>
        <translation>Return for rework</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>已接办</source>
        <translation>Taken on</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回访已记录</source>
        <translation>Return visit recorded</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>环节已完成</source>
        <translation>Stage completed</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已转派</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+10"/>
        <location line="+2"/>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>工单已办结</source>
        <translation>Ticket closed</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已答复客户</source>
        <translation>Reply to the customer saved</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>备注已保存</source>
        <translation>Note saved</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>回退原因</source>
        <translation>Reason for sending back</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>取消原因</source>
        <translation>Reason for cancelling</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>升级原因</source>
        <translation>Reason for escalating</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重办原因</source>
        <translation>Reason for rework</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>重启原因</source>
        <translation>Reason for reopening</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>退回原因</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>填写原因</source>
        <translation>Enter a reason</translation>
    </message>
</context>
<context>
    <name>TicketClock</name>
    <message>
        <location filename="../../desktop/tickets/labels.py" line="+65"/>
        <source>已停止计时</source>
        <translation>Clock stopped</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已停止计时（超时{late}）</source>
        <translation>Clock stopped ({late} late)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已停止计时（按时）</source>
        <translation>Clock stopped (on time)</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../../desktop/tickets/detail.py" line="+111"/>
        <source>工单详情</source>
        <translation>Ticket details</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>承诺时限倒计时</source>
        <translation>Countdown to the promised time limit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>查询码</source>
        <translation>Lookup code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>概况</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>承诺时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>同时在处理此工单的同事</source>
        <translation>Colleagues working on this ticket now</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>环节任务</source>
        <translation>Stage tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>环节</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已等待</source>
        <translation>Waited</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+20"/>
        <source>内部备注</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+11"/>
        <location line="+7"/>
        <source>答复客户</source>
        <translation>Reply to customer</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>处理历史</source>
        <translation>Handling history</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>备注或答复内容</source>
        <translation>Note or reply text</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保存内部备注</source>
        <translation>Save internal note</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>历史</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>附件</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>补充材料/信息</source>
        <translation>More materials / information</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>也在查看：%1</source>
        <translation>Also viewing: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正在编辑：%1</source>
        <translation>Editing: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+74"/>
        <source>（未选择工单）</source>
        <translation>(no ticket selected)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1（临时号）</source>
        <translation>%1 (provisional)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>匿名</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>（待同步）</source>
        <translation>(waiting to sync)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>补充材料/信息…</source>
        <translation>Ask for more…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>时限待同步后由系统计算</source>
        <translation>The time limit is computed by the system after syncing</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1（已停止计时）</source>
        <translation>%1 (clock stopped)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1（已停止计时，超时 %2）</source>
        <translation>%1 (clock stopped, %2 late)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1（已停止计时，按时）</source>
        <translation>%1 (clock stopped, on time)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1（已超时 %2）</source>
        <translation>%1 (overdue by %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1（剩余 %2）</source>
        <translation>%1 (%2 left)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>，节假日安排未公布，时限为暂定</source>
        <translation>; public holidays not yet published, so the time limit is provisional</translation>
    </message>
</context>
<context>
    <name>TicketNotifier</name>
    <message>
        <location filename="../../desktop/tickets/notifier.py" line="+67"/>
        <source>一窗通工单提醒</source>
        <translation>OneWindow ticket alerts</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>新任务：工单 %1 的「%2」环节（%3）</source>
        <translation>New task: stage “%2” of ticket %1 (%3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单 %1 的「%2」环节已由%3完成</source>
        <translation>Stage “%2” of ticket %1 was completed by %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预警：工单 %1 的「%2」环节（%3）即将超时</source>
        <translation>Warning: stage “%2” of ticket %1 (%3) is about to go overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超时：工单 %1 的「%2」环节（%3）已超过时限</source>
        <translation>Overdue: stage “%2” of ticket %1 (%3) is past its time limit</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>一窗通</source>
        <translation>OneWindow</translation>
    </message>
</context>
<context>
    <name>TicketQueueModel</name>
    <message>
        <location filename="../../desktop/tickets/queue_model.py" line="+129"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当前环节</source>
        <translation>Current stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>受理时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>承诺时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>（匿名）</source>
        <translation>(anonymous)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>待同步后确定</source>
        <translation>Set after sync</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>超时 %1</source>
        <translation>Overdue %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>剩余 %1</source>
        <translation>%1 left</translation>
    </message>
</context>
<context>
    <name>TicketWindow</name>
    <message>
        <location filename="../../desktop/frontdesk/ticket_window.py" line="+20"/>
        <source>工单详情</source>
        <translation>Ticket details</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TicketsArea</name>
    <message>
        <location filename="../../desktop/tickets/area.py" line="+63"/>
        <source>工单</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>工单队列</source>
        <translation>Ticket queues</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>工单提醒</source>
        <translation>Ticket alerts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>协调清单…</source>
        <translation>Coordination list…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>队列</source>
        <translation>Queues</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>提醒</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>督办跟踪…</source>
        <translation>Supervision tracking…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我的督办…</source>
        <translation>My supervision actions…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>本部门评价…</source>
        <translation>My department&apos;s evaluation…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>全部渠道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>业务类型</source>
        <translation>Request type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>客户类别</source>
        <translation>Customer class</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>全部客户类别</source>
        <translation>All customer classes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>按工单号查找</source>
        <translation>Find by ticket number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工单号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>工单列表</source>
        <translation>Ticket list</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>共 %1 件</source>
        <translation>%1 in total</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>督办跟踪</source>
        <translation>Supervision tracking</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>我的督办</source>
        <translation>My supervision actions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（%1，超期 %2）</source>
        <translation> (%1, %2 overdue)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>没有可接办的环节：请先在环节列表中选中一个待办的环节。</source>
        <translation>No stage to take: first select an open stage in the stage list.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有可完成的环节：请先在环节列表中选中一个已接办的环节。</source>
        <translation>No stage to complete: first select a stage you have taken in the stage list.</translation>
    </message>
    <message>
        <location filename="../../desktop/tickets/queues.py" line="+25"/>
        <source>我的待办</source>
        <translation>My tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本部门待办</source>
        <translation>Department tasks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本单位工单</source>
        <translation>Office tickets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超时</source>
        <translation>Overdue</translation>
    </message>
</context>
<context>
    <name>TimelineLegend</name>
    <message>
        <location filename="../../desktop/dispatch/timeline.py" line="-33"/>
        <source>当班</source>
        <translation>On shift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请假</source>
        <translation>On leave</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已派勘查</source>
        <translation>Booked survey</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>路上</source>
        <translation>Driving</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选中</source>
        <translation>Selected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>被退回，待处理</source>
        <translation>Sent back, to resolve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自动派工中</source>
        <translation>Auto-assign running</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>现在</source>
        <translation>Now</translation>
    </message>
    <message>
        <location line="+283"/>
        <source>图例</source>
        <translation>Legend</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <location filename="../../desktop/frontdesk/timeline.py" line="+108"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>身份核验</source>
        <translation>Identity verification</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>未知号码</source>
        <translation>unknown number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>来电 %1</source>
        <translation>Call from %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../desktop/tickets/task_dialogs.py" line="-84"/>
        <source>转派环节任务</source>
        <translation>Transfer the stage task</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>接收人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（不指定，退回部门待办）</source>
        <translation>(nobody: back to the department&apos;s tasks)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>接收人(&amp;P)</source>
        <translation>Reci&amp;pient</translation>
    </message>
</context>
<context>
    <name>UnassignedQueueModel</name>
    <message>
        <location filename="../../desktop/dispatch/queue_model.py" line="+26"/>
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>客户类别</source>
        <translation>Customer class</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>辖区</source>
        <translation>Territory</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>资质要求</source>
        <translation>Skill needed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>剩余时限</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>方式</source>
        <translation>Mode</translation>
    </message>
</context>
<context>
    <name>VerifyIdentityDialog</name>
    <message>
        <location filename="../../desktop/frontdesk/verify_dialog.py" line="+56"/>
        <source>核验客户身份</source>
        <translation>Verify the customer&apos;s identity</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>核验方式</source>
        <translation>Verification method</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+112"/>
        <source>户号、姓名与证件后4位</source>
        <translation>Account number, name and last 4 of ID</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+110"/>
        <source>身份证读卡</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location line="-109"/>
        <source>身份证号码与姓名</source>
        <translation>ID number and name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>短信验证码</source>
        <translation>SMS code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>网上国网实名认证</source>
        <translation>State Grid app real-name verification</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>核验结果</source>
        <translation>Verification result</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>未检测到读卡器。请核对客户的身份证号码与姓名。</source>
        <translation>No card reader found. Check the customer’s ID number and name.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>未检测到读卡器。请连接身份证读卡器，或改用“身份证号码与姓名”核验。</source>
        <translation>No card reader found. Connect an ID card reader, or verify by “ID number and name”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请客户将居民身份证放在读卡器上，然后读卡。</source>
        <translation>Ask the customer to place their resident ID card on the reader, then read the card.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>读卡(&amp;R)</source>
        <translation>&amp;Read card</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>读取身份证</source>
        <translation>Read the ID card</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>核验(&amp;K)</source>
        <translation>Chec&amp;k</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>核验身份证号码与姓名</source>
        <translation>Check the ID number and name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>身份证号码：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>户号</source>
        <translation>Account number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户名</source>
        <translation>Account name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号码后4位</source>
        <translation>Last 4 characters of the ID number</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>核验户号、姓名与证件后4位</source>
        <translation>Check the account number, name and last 4 of ID</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>户号：</source>
        <translation>Account number:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户名：</source>
        <translation>Account name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证后4位：</source>
        <translation>Last 4 of ID:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>验证码将由系统发送到客户登记的手机 %1，请客户读出收到的6位验证码。</source>
        <translation>The system will send a code to the customer&apos;s registered mobile %1; ask the customer to read out the 6-digit code.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>档案中没有此客户的手机号码，无法用短信验证码核验。</source>
        <translation>There is no mobile number on file for this customer, so an SMS code cannot be used.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+110"/>
        <source>发送验证码(&amp;S)</source>
        <translation>&amp;Send code</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>发送短信验证码</source>
        <translation>Send SMS code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>客户读出的验证码</source>
        <translation>Code read out by the customer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>核对(&amp;C)</source>
        <translation>&amp;Check</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>核对短信验证码</source>
        <translation>Check SMS code</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>短信验证码需要连接服务器，当前无法使用。请改用“%1”核验。</source>
        <translation>SMS codes need the server, which is unreachable now. Please verify with &quot;%1&quot; instead.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>改用%1(&amp;O)</source>
        <translation>Use %1 &amp;instead</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>改用其他核验方式</source>
        <translation>Use another verification method</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>验证码：</source>
        <translation>Code:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>网上国网实名认证记录</source>
        <translation>State Grid app real-name verifications</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{at}  {outcome}  凭证：{ref}</source>
        <translation>{at}  {outcome}  reference: {ref}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>尚未收到此客户在网上国网的实名认证记录。</source>
        <translation>No State Grid app real-name verification has been received for this customer yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>采用此实名认证(&amp;U)</source>
        <translation>&amp;Use this verification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>采用所选的网上国网实名认证</source>
        <translation>Use the selected State Grid app real-name verification</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>未检测到读卡器。</source>
        <translation>No card reader found.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在读卡……</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>请选择一条已通过的实名认证记录。</source>
        <translation>Choose a real-name verification that passed.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>重新发送（%1秒）</source>
        <translation>Resend (%1 s)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>正在发送验证码……</source>
        <translation>Sending the code…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>验证码已发送到 %1，5分钟内有效。请客户读出验证码后填写并核对。</source>
        <translation>Code sent to %1, valid for 5 minutes. Enter the code the customer reads out and check it.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在核对验证码……</source>
        <translation>Checking the code…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>验证码不正确，还可再试 %1 次。</source>
        <translation>Wrong code; %1 tries left.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>验证码输错次数过多，已作废，请重新发送验证码。</source>
        <translation>Too many wrong tries: the code is void. Please send a new code.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>验证码已过期（有效期5分钟），请重新发送验证码。</source>
        <translation>The code has expired (valid for 5 minutes). Please send a new code.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有可核对的验证码，请先发送验证码。</source>
        <translation>There is no code to check. Please send a code first.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>无法连接服务器，短信验证码未能发送或核对。</source>
        <translation>Cannot reach the server: the SMS code could not be sent or checked.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>服务器上没有此客户的手机号码，无法发送验证码。</source>
        <translation>The server has no mobile number for this customer, so no code can be sent.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>身份核验通过。</source>
        <translation>Identity verified.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>本次未通过的核验已记录。</source>
        <translation>This failed verification has been recorded.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>核验未能完成。</source>
        <translation>The verification could not be completed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>档案中没有此客户的身份证号码，无法用此方式核验。</source>
        <translation>The customer&apos;s record has no ID number, so this method cannot be used.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号码与档案不一致，核验未通过。</source>
        <translation>The ID number does not match the record: verification failed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名与档案不一致，核验未通过。</source>
        <translation>The name does not match the record: verification failed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>该户号不属于此客户，核验未通过。</source>
        <translation>This account number does not belong to the customer: verification failed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号码后4位与档案不一致，核验未通过。</source>
        <translation>The last 4 characters of the ID number do not match the record: verification failed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>核验未通过。</source>
        <translation>Verification failed.</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <location filename="../../desktop/tickets/info_requests.py" line="+30"/>
        <source>撤回索要</source>
        <translation>Withdraw request</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>撤回原因</source>
        <translation>Reason for withdrawing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所索要的</source>
        <translation>Asked for</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤回原因(&amp;R)</source>
        <translation>&amp;Reason for withdrawing</translation>
    </message>
</context>
</TS>
