// Placeholder: this page is being built (issue 15).

export default {
  props: { id: { type: String, default: null } },
  template: `<h1>建设中</h1><p>本页正在建设。</p>`,
};
