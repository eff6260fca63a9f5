import { ElderModePage } from './features/elder-page/elder-page.tsx';
import { renderPublicPage } from './public-root.tsx';

// the elder's 长辈版 page, opened from the QR code on the wall: no Ant Design, no staff code
renderPublicPage('/elder/:token', <ElderModePage />);
