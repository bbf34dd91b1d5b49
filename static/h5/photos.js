// Photos from the phone: shrunk in the browser (a 4000 px original is 5 MB over a village's
// mobile network), uploaded one by one, then attached to a complaint or claim by upload id.

import { api } from "/assets/shared/api.js";

export const MAX_SIDE = 1600;
export const QUALITY = 0.8;

async function decode(file) {
  // createImageBitmap honours the EXIF orientation, so a phone photo is not sideways.
  if (globalThis.createImageBitmap) {
    try { return await createImageBitmap(file, { imageOrientation: "from-image" }); } catch { /* fall back */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A JPEG whose longest side is at most `maxSide`; the original when that is already smaller.
export async function compressImage(file, { maxSide = MAX_SIDE, quality = QUALITY } = {}) {
  const image = await decode(file);
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; // a transparent PNG would turn black in JPEG
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (image.close) image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new Error("compress failed");
  if (scale === 1 && file.type === "image/jpeg" && file.size <= blob.size) return file;
  return blob;
}

// Compress then upload one photo; answers the upload ({id, expires_at}).
export async function uploadPhoto(file) {
  const blob = await compressImage(file);
  const answer = await api.upload(blob, "photo.jpg");
  return answer.upload;
}

let serial = 0;

// <photo-picker v-model="photos" :max="9" label="投诉照片">: a big labelled "add photo"
// button (a real file input), thumbnails with their upload state in words, delete buttons.
// Each item: {key, preview, status: "uploading"|"done"|"failed", uploadId, message}.
export const PhotoPicker = {
  props: {
    modelValue: { type: Array, required: true },
    max: { type: Number, default: 9 },
    label: { type: String, default: "照片" },
  },
  emits: ["update:modelValue"],
  setup(props, { emit }) {
    const inputId = `photo-input-${++serial}`;
    const items = Vue.computed(() => props.modelValue);
    function update(list) { emit("update:modelValue", list); }
    async function send(item, file) {
      item.status = "uploading";
      item.message = "正在压缩上传…";
      try {
        const upload = await uploadPhoto(file);
        item.uploadId = upload.id;
        item.status = "done";
        item.message = "已上传";
      } catch (e) {
        item.status = "failed";
        item.message = e && e.friendly ? `上传失败：${e.friendly}` : "照片无法读取，请换一张";
      }
    }
    function pick(event) {
      const files = Array.from(event.target.files || []);
      event.target.value = ""; // the same photo can be picked again after a delete
      const room = props.max - items.value.length;
      const added = files.slice(0, Math.max(0, room)).map((file) => Vue.reactive({
        key: ++serial, file, preview: URL.createObjectURL(file), status: "uploading",
        uploadId: null, message: "正在压缩上传…",
      }));
      if (files.length > room) vant.showToast(`最多 ${props.max} 张照片`);
      update([...items.value, ...added]);
      added.forEach((item) => send(item, item.file));
    }
    function remove(index) {
      const list = [...items.value];
      const [gone] = list.splice(index, 1);
      if (gone) URL.revokeObjectURL(gone.preview);
      update(list);
    }
    function retry(item) { send(item, item.file); }
    Vue.onBeforeUnmount(() => items.value.forEach((p) => URL.revokeObjectURL(p.preview)));
    return { inputId, items, pick, remove, retry };
  },
  template: `
    <div class="photo-picker">
      <ul class="photo-grid" v-if="items.length">
        <li v-for="(p, i) in items" :key="p.key" class="photo-item" :class="'is-' + p.status">
          <img :src="p.preview" :alt="label + ' 第' + (i + 1) + '张'">
          <p class="photo-state" role="status">{{ p.message }}</p>
          <button type="button" class="photo-remove" :aria-label="'删除' + label + ' 第' + (i + 1) + '张'"
            @click="remove(i)">✕</button>
          <button v-if="p.status === 'failed'" type="button" class="photo-retry" @click="retry(p)">重试</button>
        </li>
      </ul>
      <label v-if="items.length < max" class="photo-add" :for="inputId">
        <input :id="inputId" type="file" accept="image/*" :multiple="max > 1" class="visually-hidden"
          @change="pick">
        <van-icon name="photograph" size="28" aria-hidden="true" />
        <span>添加{{ label }}（{{ items.length }}/{{ max }}）</span>
      </label>
    </div>`,
};

// The upload ids of a picker's photos, or a Chinese reason why it can't be sent yet.
export function photoIds(items) {
  if (items.some((p) => p.status === "uploading")) return { error: "照片还在上传，请稍候" };
  if (items.some((p) => p.status === "failed")) return { error: "有照片上传失败，请重试或删除" };
  return { ids: items.map((p) => p.uploadId) };
}
