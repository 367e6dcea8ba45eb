/** Simplified Chinese strings of sending a report: progress, retry, large photos (en/submit.ts must match). */
const submit = {
  progressLabel: "提交进度",
  percent: "已完成 {percent}%",
  step: {
    prepare: "正在生成您的查询码和钥匙",
    files: "正在删除照片中的位置信息并加密文件",
    seal: "正在加密举报内容",
    pow: "正在完成防刷验证",
    upload: "正在上传加密后的举报",
    saving: "正在保存",
  },
  remaining: "预计还需约 {time}",
  seconds: "{n} 秒",
  minutes: "{n} 分钟",
  speed: "上传速度约 {speed}/秒",
  keepOpen: "请不要关闭此页面，也不要切换到其他应用，直到看到查询码。",
  retryTitle: "连接中断，举报还没有确认送达",
  retryBody:
    "您填写的内容都还在。点“重新发送”会把已经加密好的同一份举报再发一次，不会产生第二个查询码；如果第一次其实已经送达，也不会重复保存。",
  retry: "重新发送",
  largePhotos: {
    legend: "较大的照片怎么发送",
    hint: "下面的照片超过 {size}。在慢速网络上，原图可能需要几十秒才能传完。",
    original: "发送原图（作为证据最完整，默认）",
    reduced: "发送缩小的副本（长边 {side} 像素，上传快得多）",
    note: "无论哪种方式，照片中的位置等信息都会先在您的手机上删除。",
  },
} as const;

export default submit;
