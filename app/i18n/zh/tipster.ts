/** Simplified Chinese strings of the tipster area (source of truth; en/tipster.ts must match). */
const tipster = {
  title: "状态查询",
  pageTitle: "查询举报进展",
  intro: "输入提交举报时得到的16位查询码，就能看到办理进展、巡察组的问题，并可以回复或补充材料。",
  privacyJs:
    "查询码只在您的设备上换算成密钥，不会发送到服务器。服务器只收到由它算出的一段验证信息，看不到您的内容。",
  receiptLabel: "查询码（16位数字）",
  receiptHint: "可以带空格输入，例如 1234 5678 9012 3456。",
  open: "查看进展",
  deriving: "正在您的设备上换算密钥，可能需要几秒钟…",
  loading: "正在读取…",
  safetyLink: "如何安全地举报",
  noJsTitle: "您的浏览器没有启用 JavaScript",
  noJsBody:
    "您仍然可以查询和回复，但这种方式较弱：查询码会发送到服务器，由服务器在内存中临时解密后显示给您。服务器不保存查询码和内容，也不写入日志；但如果服务器本身被人控制，这些内容就可能被看到。条件允许时，请启用 JavaScript 后再查询。",
  noJsActive:
    "您正在使用无 JavaScript 方式，这种方式较弱：查询码已发送到服务器，这一页由服务器在内存中临时解密。服务器不保存、不记录，但控制服务器的人可能看到。看完后请清除浏览记录。",
  errors: {
    notFound: "没有找到与这个查询码对应的举报。请核对数字后再试。",
    badFormat: "查询码只能包含数字（可以有空格）。",
    badLength: "查询码应为16位数字。",
    badChecksum: "查询码中有数字输错了（校验位不符），请逐位核对。",
    tooMany: "尝试次数过多，请 {minutes} 分钟后再试。",
    badRequest: "请求内容不正确，请刷新页面后重试。",
    replyEmpty: "请先写下要回复的内容。",
    replyTooLong: "回复太长了，请不超过 {max} 个字。",
    powFailed: "防刷验证没有通过或已过期，请再发送一次。",
    tooManyFiles: "每次最多附加 {max} 个文件。",
    filesTooLarge: "附件总大小不能超过 {size}。",
    fileType: "文件“{name}”的类型不支持，请附照片（JPEG 或 PNG）或 PDF。",
    fileExecutable:
      "文件“{name}”不是照片或 PDF：它的内容是一个程序（可执行文件），不能作为证据上传。",
    fileMismatch:
      "文件“{name}”的名字像照片或 PDF，但内容不是。请重新选择原始的照片（JPEG 或 PNG）或 PDF。",
    fileEmpty: "文件“{name}”是空的，请重新选择。",
    network: "网络连接出现问题，请稍后再试。您的内容没有丢失。",
    storageUnavailable:
      "服务器暂时无法保存（存储空间已满或暂时只读），您的回复没有发出。请过几分钟再试。",
    decrypt: "有一部分内容无法解密，可能已损坏。",
    crypto: "您的浏览器无法完成加密计算，请换用较新的浏览器，或关闭 JavaScript 后再试。",
  },
  summaryTitle: "您的举报",
  district: "反映的区县",
  unit: "反映的单位",
  submitted: "提交时间",
  currentStatus: "当前状态",
  ackBy: "应在 {date} 前告知是否受理",
  feedbackBy: "应在 {date} 前反馈办理情况",
  acknowledged: "已于 {date} 受理",
  identityOpened:
    "您留下的姓名和联系方式已于 {date} 经巡察组组长批准后由办理人员查看，用于与您联系核实。其他人仍然看不到。",
  overdue: "已超期",
  yourReport: "查看您提交的内容",
  report: {
    category: "问题类别",
    text: "发生了什么",
    when: "什么时候发生的",
    people: "涉及的人员和职务",
    amount: "涉及金额",
    files: "附件",
    notGiven: "（没有填写）",
  },
  timelineTitle: "办理进展",
  status: {
    received: "已收到",
    accepted: "已受理",
    under_review: "核查中",
    transferred: "已移交纪委监委",
    rectifying: "整改中",
    resolved: "已办结",
    not_accepted: "不予受理",
    merged: "已与其他举报合并",
  },
  statusHelp: {
    received: "举报已加密保存，等待巡察组查看。",
    accepted: "巡察组已受理，将进一步了解情况。",
    under_review: "巡察组正在核查反映的问题。",
    transferred: "问题线索已移交有关纪委监委处理。",
    rectifying: "有关单位正在整改。",
    resolved: "办理已经结束。",
    not_accepted: "巡察组没有受理这件举报，原因见说明。",
    merged: "这件举报与反映同一问题的其他举报合并办理。",
  },
  threadTitle: "与巡察组的对话",
  threadEmpty: "还没有消息。巡察组如有问题，会在这里询问您。",
  fromTeam: "巡察组",
  fromMe: "我",
  files: "附件 {count} 个",
  unreadable: "（无法解密的消息）",
  signature: {
    verified: "已核验：巡察组成员签名",
    signer: "签名人",
    signerRole: "{role}",
    signerRoleTeam: "{role}，{team}",
    fingerprint: "签名人密钥指纹（与举报时显示的一致）",
    writtenAt: "签名时间",
    unverifiedTitle: "无法确认这条消息来自巡察组",
    reason: {
      unsigned: "这条消息没有签名（可能发于启用签名之前），无法确认是谁发的。",
      invalid: "签名无效或内容被改动过，内容已隐藏。请不要按这条消息的要求做任何事。",
      unknownSigner: "签名所用的密钥没有经过巡察办批准，内容已隐藏。",
      wrongPlace: "这条签名消息出现在了不属于它的位置（例如另一个进度下），内容已隐藏。",
      duplicate: "同一条消息出现了两次，重复的一条已隐藏。",
    },
    showAnyway: "仍然显示内容（无法确认来源）",
    uncheckedTag: "未核验",
    noJsUnchecked:
      "未开启 JavaScript 时，本页无法核验巡察组消息的签名：只有服务器能检查，而签名正是为了防止服务器冒充巡察组。开启 JavaScript 后重新打开本页，即可确认每条消息确实来自巡察组。",
  },
  replyTitle: "回复巡察组",
  replyLabel: "您的回复",
  replyHint: "回复在您的设备上加密，只有巡察组能读到。不要写能认出您身份的内容，除非您愿意。",
  replyHintNoJs: "回复由服务器收到后立即加密，只有巡察组能读到。",
  evidenceLabel: "补充材料（可选）",
  evidenceHint:
    "可以附照片（JPEG、PNG）或 PDF，最多 {max} 个，共不超过 {size}。照片里的拍摄地点等信息会在您的设备上自动删除；PDF 里的作者等信息请自己检查。",
  evidenceHintNoJs:
    "可以附照片（JPEG、PNG）或 PDF，最多 {max} 个，共不超过 {size}。服务器收到后先删除照片里的拍摄地点等信息，再立即加密；PDF 里的作者等信息请自己检查。",
  send: "加密并发送",
  sending: "正在加密并完成防刷验证，请稍候…",
  sent: "已发送。只有巡察组能读到。",
  close: "结束查看",
  closeHint: "看完后请点“结束查看”，并清除浏览记录。",
  quickExit: {
    label: "快速离开",
    aria: "快速离开：立即跳到天气网站，并且不能用“后退”回到这里",
  },
  safety: {
    title: "如何安全地举报",
    intro:
      "本站不记录您的IP地址；浏览器运行 JavaScript 时，内容在您的设备上加密。但您的手机、电脑和网络本身也可能暴露您。下面几点能降低风险。",
    quickExitTitle: "随时快速离开",
    quickExitBody:
      "每一页顶部都有“快速离开”按钮。点一下会立即跳到天气网站，并替换当前的浏览记录，按“后退”不会回到这里。用电脑时，在输入框以外连按两次 Esc 键也可以。",
    sharedTitle: "共用的手机或电脑",
    sharedBody:
      "如果家人、同事或村干部可能看到您的手机，尽量用只有您自己使用的设备。不要把查询码存在手机相册、聊天记录或备忘录里；抄在纸上，放在安全的地方。",
    privateTitle: "使用无痕（隐私）模式",
    privateBody:
      "在浏览器菜单里打开“无痕窗口”或“隐私模式”再访问本站。关闭这个窗口后，浏览记录和本站的语言设置都不会留下。",
    historyTitle: "用完后删除浏览记录",
    historyBody:
      "如果没有用无痕模式，用完后在浏览器的“设置 → 历史记录”中删除本站的记录。查询页面不会被浏览器缓存，但地址可能留在记录里。",
    torTitle: "使用 Tor 浏览器",
    torBody:
      "如果担心网络被监控（例如用单位或村里的无线网络），可以用 Tor 浏览器访问本站，它会隐藏您从哪里上网。也可以换用手机流量，不要用单位的网络。",
    receiptTitle: "保管好查询码",
    receiptBody:
      "查询码是查看进展和回复巡察组的唯一凭证，我们无法找回。任何拿到查询码的人都能看到您的举报内容，所以不要告诉别人。",
    writeTitle: "写的内容也可能暴露您",
    writeBody:
      "只有您和少数人知道的细节可能让人猜出是谁举报的。除非您愿意实名，写清问题即可，不必写自己的身份。",
    backToStatus: "查询举报进展",
    backHome: "返回首页",
  },
} as const;

export default tipster;
