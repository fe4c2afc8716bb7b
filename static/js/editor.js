// The post editor: Tiptap (static/vendor/tiptap.js) over the body's textarea, with a toolbar of labelled
// buttons. The textarea stays the form's field (the server sanitizes whatever arrives, services._save); without
// script it is a plain text box. Pictures go through the draft's checked upload (publishing:post_image).
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-editor]");
  if (!textarea || !window.Tiptap) return;
  var T = window.Tiptap;
  var label = document.getElementById(textarea.getAttribute("data-label"));
  var wrap = document.createElement("div");
  wrap.className = "editor";
  var toolbar = document.createElement("div");
  toolbar.className = "editor-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "正文格式");
  var area = document.createElement("div");
  wrap.appendChild(toolbar);
  wrap.appendChild(area);
  textarea.parentNode.insertBefore(wrap, textarea);
  textarea.hidden = true;
  textarea.required = false;

  var editor = new T.Editor({
    element: area,
    extensions: [
      T.StarterKit.configure({ heading: { levels: [2, 3] }, code: false, codeBlock: false, link: { openOnClick: false } }),
      T.Image,
    ],
    content: textarea.value,
    editorProps: {
      attributes: {
        class: "editor-area",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": label ? label.id : "",
        "aria-describedby": textarea.getAttribute("aria-describedby") || "",
      },
    },
    onUpdate: function () { sync(); refresh(); },
    onSelectionUpdate: function () { refresh(); },
  });

  function sync() {
    textarea.value = editor.isEmpty ? "" : editor.getHTML();
  }

  var buttons = [];
  function add(text, run, active) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    if (active) button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { run(); refresh(); });
    toolbar.appendChild(button);
    buttons.push({ button: button, active: active });
    return button;
  }
  function chain() { return editor.chain().focus(); }
  add("小标题", function () { chain().toggleHeading({ level: 3 }).run(); }, function () { return editor.isActive("heading", { level: 3 }); });
  add("加粗", function () { chain().toggleBold().run(); }, function () { return editor.isActive("bold"); });
  add("斜体", function () { chain().toggleItalic().run(); }, function () { return editor.isActive("italic"); });
  add("列表", function () { chain().toggleBulletList().run(); }, function () { return editor.isActive("bulletList"); });
  add("编号", function () { chain().toggleOrderedList().run(); }, function () { return editor.isActive("orderedList"); });
  add("引用", function () { chain().toggleBlockquote().run(); }, function () { return editor.isActive("blockquote"); });
  add("链接", function () {
    if (editor.isActive("link")) { chain().unsetLink().run(); return; }
    var url = window.prompt("链接地址（以 http:// 或 https:// 开头）", "https://");
    if (url && /^https?:\/\/\S+$/.test(url)) chain().extendMarkRange("link").setLink({ href: url }).run();
  }, function () { return editor.isActive("link"); });

  var upload = textarea.getAttribute("data-upload");
  if (upload) {
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/png,image/jpeg,image/gif,image/webp";
    picker.hidden = true;
    picker.setAttribute("aria-label", "选择图片");
    wrap.appendChild(picker);
    add("图片", function () { picker.click(); });
    picker.addEventListener("change", function () {
      var file = picker.files[0];
      if (!file) return;
      var data = new FormData();
      data.append("file", file);
      data.append("csrfmiddlewaretoken", textarea.form.querySelector("input[name=csrfmiddlewaretoken]").value);
      status("正在上传图片…");
      window.fetch(upload, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (!answer.url) { status((answer.detail || ["图片未能上传。"]).join(" ")); return; }
          var alt = window.prompt("图片说明（读屏软件会朗读它）", file.name.replace(/\.[^.]+$/, "")) || "";
          chain().setImage({ src: answer.url, alt: alt }).run();
          status("图片已插入。");
        })
        .catch(function () { status("图片未能上传，请稍后再试。"); });
      picker.value = "";
    });
  }
  add("撤销", function () { chain().undo().run(); });
  add("重做", function () { chain().redo().run(); });

  var live = document.createElement("p");
  live.className = "small muted editor-status";
  live.setAttribute("role", "status");
  wrap.appendChild(live);
  function status(text) { live.textContent = text; }

  function refresh() {
    buttons.forEach(function (item) {
      if (item.active) item.button.setAttribute("aria-pressed", item.active() ? "true" : "false");
    });
  }
  textarea.form.addEventListener("submit", sync);
  sync();
  refresh();
})();
