// Any /h5/ URL no page claims.
export default {
  template: `<van-empty image="error" description="页面不存在或已下线">
    <app-link to="/h5/" class="van-button van-button--primary van-button--normal">回到首页</app-link>
  </van-empty>`,
};
