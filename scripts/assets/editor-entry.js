// Bundled by scripts/vendor-assets.sh (esbuild) into static/vendor/tiptap.js: the few Tiptap pieces the post
// editor (static/js/editor.js) uses, exposed as window.Tiptap. Nothing here runs by itself.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Image from "@tiptap/extension-image";

window.Tiptap = { Editor, StarterKit, Image };
