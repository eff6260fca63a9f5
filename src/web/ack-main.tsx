import { AckPage } from './features/ack/ack-page.tsx';
import { renderPublicPage } from './public-root.tsx';

// a relative's one-time acknowledgement link (SMS): plain elements, no Ant Design, no staff code
renderPublicPage('/ack/:token', <AckPage />);
