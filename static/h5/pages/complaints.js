// Placeholder until this page lands (issue 13).

export default {
  template: `<van-nav-bar title="我的投诉" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty description="即将开通" />`,
};
