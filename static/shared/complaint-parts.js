// What both consoles show of a complaint: what the villager wrote (with photos) and the
// timeline of who did what, when. Element Plus consoles only; times in China time.

import { chinaTime } from "/assets/shared/api.js";

export const ComplaintContent = {
  props: { complaint: { type: Object, required: true } },
  template: `
    <h2>投诉内容</h2>
    <p class="complaint-text" style="white-space:pre-wrap">{{ complaint.description }}</p>
    <div v-if="complaint.photos.length" class="thumbs">
      <a v-for="(src, i) in complaint.photos" :key="i" :href="src" target="_blank" rel="noopener" class="thumb">
        <img :src="src" :alt="'投诉照片 ' + (i + 1)"></a>
    </div>`,
};

export const ComplaintTimeline = {
  props: { complaint: { type: Object, required: true } },
  setup: () => ({ chinaTime }),
  template: `
    <h2 style="margin-top:0">处理经过</h2>
    <ol class="timeline">
      <li v-for="(e, i) in complaint.timeline" :key="i">
        <strong>{{ e.action_label }}</strong> · {{ e.by_name || e.by_role_label }}
        <div class="when">{{ chinaTime(e.at) }} → {{ e.to_status_label }}</div>
        <div v-if="e.note" style="white-space:pre-wrap">{{ e.note }}</div>
      </li>
    </ol>`,
};
